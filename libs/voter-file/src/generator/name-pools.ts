import { faker } from '@faker-js/faker/locale/en_US';

/** Made-up names, streets and cities every synthetic layout draws from. */
export interface NamePools {
  readonly femaleNames: string[];
  readonly maleNames: string[];
  readonly lastNames: string[];
  readonly streets: string[];
  /** Four city names per county, by the county's position in its state's list. */
  readonly citiesByCounty: string[][];
}

/** Pools drawn once per file from a seeded faker (the per-row draws use SeededRandom, for speed). */
export function buildNamePools(seed: number, countyCount: number): NamePools {
  faker.seed(seed);
  const upper = (values: string[]): string[] => [...new Set(values.map((value) => value.toUpperCase().replace(/[^A-Z' -]/g, '')))].filter(Boolean);
  return {
    femaleNames: upper(faker.helpers.multiple(() => faker.person.firstName('female'), { count: 800 })),
    maleNames: upper(faker.helpers.multiple(() => faker.person.firstName('male'), { count: 800 })),
    lastNames: upper(faker.helpers.multiple(() => faker.person.lastName(), { count: 4000 })),
    streets: upper(faker.helpers.multiple(() => faker.location.street().replace(/ \S+$/, ''), { count: 2000 })),
    citiesByCounty: Array.from({ length: countyCount }, () => upper(faker.helpers.multiple(() => faker.location.city(), { count: 4 }))),
  };
}
