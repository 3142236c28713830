/** The shortest password a person may set (NIST SP 800-63B asks at least 8; we ask a passphrase's worth). */
export const MINIMUM_PASSWORD_LENGTH = 12;
/** argon2 would hash a megabyte happily; a cap keeps a request cheap to refuse. Sign-in uses the same. */
export const MAXIMUM_PASSWORD_LENGTH = 1024;
