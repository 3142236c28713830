import { DEFAULT_MAX_RETAINED, dropOldestFinished } from './record-retention.util';
import type { SimulatedCall } from './simulated-call';
import { newSid } from './twilio-format.util';
import type { ConferenceSettings } from './twiml.parser';

/** A browser (Voice SDK) leg is `client`; a phone call is `pstn`. */
export type ParticipantKind = 'pstn' | 'client';

export interface ConferenceParticipant {
  readonly callSid: string;
  readonly kind: ParticipantKind;
  readonly joinedAt: number;
  leftAt: number | null;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly beep: string;
  readonly waitUrl: string | null;
}

export interface SimulatedConference {
  readonly sid: string;
  readonly name: string;
  readonly createdAt: number;
  /** When a participant with startConferenceOnEnter joined; until then everyone waits apart. */
  startedAt: number | null;
  endedAt: number | null;
  /** Everyone who joined, in order; those who left carry leftAt. */
  readonly participants: ConferenceParticipant[];
}

interface Membership {
  readonly call: SimulatedCall;
  readonly conference: SimulatedConference;
  readonly participant: ConferenceParticipant;
  /** The call goes on with the verb after its <Dial>. */
  readonly onRemoved: () => void;
}

export interface ConferenceRegistryHooks {
  /** A call shared a started conference with someone for the first time. */
  bridged(call: SimulatedCall, conference: SimulatedConference): void;
  /** A call left a conference (hung up, redirected, or removed when it ended). */
  left(call: SimulatedCall, conference: SimulatedConference): void;
}

/**
 * Who is in which conference, as Twilio's <Dial><Conference> puts them there: a conference starts
 * when someone with startConferenceOnEnter joins, everyone in a started conference is bridged to
 * everyone else (recorded on each call's bridgedWith), and a participant with endConferenceOnExit
 * ends it on leaving: the others are removed and go on after their <Dial>.
 */
export class ConferenceRegistry {
  private readonly conferences = new Map<string, SimulatedConference>();
  private readonly active = new Map<string, SimulatedConference>();
  private readonly memberships = new Map<string, Membership>();

  constructor(
    private readonly hooks: ConferenceRegistryHooks,
    private readonly maxRetained = DEFAULT_MAX_RETAINED,
  ) {}

  join(call: SimulatedCall, settings: ConferenceSettings, onRemoved: () => void): SimulatedConference {
    this.leave(call);
    const now = Date.now();
    let conference = this.active.get(settings.name);
    if (!conference) {
      conference = { sid: newSid('CF'), name: settings.name, createdAt: now, startedAt: null, endedAt: null, participants: [] };
      this.active.set(settings.name, conference);
      this.conferences.set(conference.sid, conference);
      dropOldestFinished(this.conferences, (existing) => existing.endedAt !== null, this.maxRetained);
    }
    const participant: ConferenceParticipant = {
      callSid: call.sid,
      kind: call.clientIdentity === null ? 'pstn' : 'client',
      joinedAt: now,
      leftAt: null,
      startConferenceOnEnter: settings.startConferenceOnEnter,
      endConferenceOnExit: settings.endConferenceOnExit,
      beep: settings.beep,
      waitUrl: settings.waitUrl,
    };
    conference.participants.push(participant);
    this.memberships.set(call.sid, { call, conference, participant, onRemoved });
    if (conference.startedAt === null && settings.startConferenceOnEnter) conference.startedAt = now;
    if (conference.startedAt !== null) this.bridgeEveryone(conference, now);
    return conference;
  }

  /** The call leaves whatever conference it is in (it hung up, or new instructions took it away); nothing happens if it is in none. */
  leave(call: SimulatedCall): void {
    const membership = this.memberships.get(call.sid);
    if (!membership) return;
    this.remove(membership);
    const { conference, participant } = membership;
    if (participant.endConferenceOnExit) this.end(conference);
    else if (this.present(conference).length === 0) this.close(conference);
  }

  list(): SimulatedConference[] {
    return [...this.conferences.values()];
  }

  find(sid: string): SimulatedConference | undefined {
    return this.conferences.get(sid);
  }

  activeCount(): number {
    return this.active.size;
  }

  reset(): void {
    this.conferences.clear();
    this.active.clear();
    this.memberships.clear();
  }

  private end(conference: SimulatedConference): void {
    const removed = this.present(conference);
    for (const membership of removed) this.remove(membership);
    this.close(conference);
    for (const membership of removed) membership.onRemoved();
  }

  private remove(membership: Membership): void {
    membership.participant.leftAt = Date.now();
    this.memberships.delete(membership.call.sid);
    this.hooks.left(membership.call, membership.conference);
  }

  private close(conference: SimulatedConference): void {
    conference.endedAt = Date.now();
    if (this.active.get(conference.name) === conference) this.active.delete(conference.name);
  }

  private present(conference: SimulatedConference): Membership[] {
    return [...this.memberships.values()].filter((membership) => membership.conference === conference);
  }

  private bridgeEveryone(conference: SimulatedConference, now: number): void {
    const present = this.present(conference);
    for (const { call } of present) {
      const others = present.filter((other) => other.call !== call).map((other) => other.call.sid);
      const firstBridge = call.bridgedAt === null && others.length > 0;
      for (const sid of others) if (!call.bridgedWith.includes(sid)) call.bridgedWith.push(sid);
      if (firstBridge) {
        call.bridgedAt = now;
        this.hooks.bridged(call, conference);
      }
    }
  }
}
