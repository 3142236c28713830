export * from './formats/ncvoter-columns.constant';
export * from './generator/ncvoter-synthetic.generator';
export * from './generator/seeded-random';
export * from './generator/synthetic-voter-file';
export * from './phone-number.util';
