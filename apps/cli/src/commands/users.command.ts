import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { isEmail } from 'class-validator';
import { DomainErrorCode, DomainException } from '@app/common';
import {
  ALLIANCE_WIDE_ROLES,
  MAXIMUM_PASSWORD_LENGTH,
  MembershipRole,
  MINIMUM_PASSWORD_LENGTH,
  PasswordResetService,
  PersonProvisioningService,
  type Provisioning,
} from '@app/identity';
import { printResult, withApplication, withServices } from '../cli-context';
import { UsageError } from './database.command';

interface CreateUserOptions {
  email: string;
  org?: string;
  role: string;
  alliance?: string;
  name?: string;
  passwordStdin?: boolean;
}

const ROLES = Object.values(MembershipRole);
const OPTION_OF_FIELD: Readonly<Record<string, string>> = { organization: '--org', role: '--role', email: '--email' };

/** `users create`: an account and one membership, created or brought up to date, with no password ever on the command line. */
export function registerUserCommands(program: Command): void {
  program
    .command('users')
    .description('people and their memberships')
    .command('create')
    .description('create (or update) a user and give them a role; the password comes from stdin, or a one-time reset link goes out through the notifier')
    .requiredOption('--email <email>', 'their email address (how they sign in)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--org <slug>', `the organization the role is held in; left out for ${ALLIANCE_WIDE_ROLES.join(' and ')}`)
    .option('--alliance <slug>', 'the alliance (default: the only one)')
    .option('--name <name>', 'how they are named (default for a new user: the part of the email before @)')
    .option('--password-stdin', `read the password (at least ${MINIMUM_PASSWORD_LENGTH} characters) from stdin instead of sending a reset link`)
    .action((options: CreateUserOptions) => createUser(options));
}

async function createUser(options: CreateUserOptions): Promise<void> {
  // Checked before any service starts, so a typo costs nothing and changes nothing.
  const provisioning = provisioningOf(options);
  const password = options.passwordStdin ? await passwordFromStdin() : undefined;
  await withServices((session) =>
    withApplication(session, async (app) => {
      const person = await app
        .get(PersonProvisioningService)
        .provision({ ...provisioning, password })
        .catch((error: unknown) => {
          throw asUsageError(error);
        });
      const result = {
        userId: person.userId,
        email: person.email,
        alliance: person.allianceSlug,
        organization: person.organizationSlug,
        role: person.role,
        userCreated: person.userCreated,
        membershipCreated: person.membershipCreated,
      };
      if (password !== undefined) {
        printResult({ ...result, password: 'set' });
        return;
      }
      const reset = await app.get(PasswordResetService).issueFor(person.userId, person.email);
      printResult({ ...result, password: 'reset_link_sent', passwordResetId: reset.id, passwordResetExpiresAt: reset.expiresAt.toISOString() });
    }),
  );
}

function provisioningOf(options: CreateUserOptions): Omit<Provisioning, 'password'> {
  const email = options.email.trim();
  if (email.length > 320 || !isEmail(email)) throw new UsageError(`--email "${options.email}" is not an email address`);
  if (!(ROLES as string[]).includes(options.role)) throw new UsageError(`--role ${options.role}: the roles are ${ROLES.join(', ')}`);
  const role = options.role as MembershipRole;
  const allianceWide = ALLIANCE_WIDE_ROLES.includes(role);
  if (allianceWide && options.org !== undefined) throw new UsageError(`--org must be left out for ${role}, which is held across the alliance`);
  if (!allianceWide && options.org === undefined) throw new UsageError(`--org is needed: a ${role} belongs to an organization`);
  if (options.name !== undefined && (options.name.trim().length === 0 || options.name.length > 200)) {
    throw new UsageError('--name must be 1 to 200 characters');
  }
  return { allianceSlug: options.alliance, organizationSlug: options.org ?? null, role, email, displayName: options.name };
}

/** The whole of stdin, less the one line break that `echo` or a heredoc adds. */
async function passwordFromStdin(): Promise<string> {
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (password.length < MINIMUM_PASSWORD_LENGTH || password.length > MAXIMUM_PASSWORD_LENGTH) {
    throw new UsageError(`--password-stdin: the password read from stdin must be ${MINIMUM_PASSWORD_LENGTH} to ${MAXIMUM_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/** A refused option is a usage error naming it (exit 2); anything else is a failure (exit 1). */
function asUsageError(error: unknown): unknown {
  if (!(error instanceof DomainException) || (error.code !== DomainErrorCode.NotFound && error.code !== DomainErrorCode.ValidationFailed)) return error;
  const field = error.details.field;
  const option = typeof field === 'string' ? (OPTION_OF_FIELD[field] ?? '--alliance') : '--alliance';
  return new UsageError(`${option}: ${error.message}`);
}
