export * from './session-token.util';
export * from './session.service';
export * from './sign-in-rate.limiter';
export * from './signed-in-user';
