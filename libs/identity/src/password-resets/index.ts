export * from './password-reset.service';
export * from './password-rules.constant';
