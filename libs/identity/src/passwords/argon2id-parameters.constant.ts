import type { Options } from '@node-rs/argon2';

/** argon2id with the parameters of OWASP's password storage guidance (19 MiB, 2 passes, 1 lane). */
export const ARGON2ID_PARAMETERS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };
