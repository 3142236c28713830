import type { SimulatedConference } from './conference.registry';

/** A conference as GET /sim/conferences shows it: who joined when, with which flags, and who left when. */
export function toConferenceSnapshot(conference: SimulatedConference): Record<string, unknown> {
  const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());
  return {
    sid: conference.sid,
    name: conference.name,
    status: conference.endedAt !== null ? 'completed' : conference.startedAt !== null ? 'in-progress' : 'init',
    createdAt: iso(conference.createdAt),
    startedAt: iso(conference.startedAt),
    endedAt: iso(conference.endedAt),
    participants: conference.participants.map((participant) => ({
      callSid: participant.callSid,
      kind: participant.kind,
      joinedAt: iso(participant.joinedAt),
      leftAt: iso(participant.leftAt),
      present: participant.leftAt === null,
      startConferenceOnEnter: participant.startConferenceOnEnter,
      endConferenceOnExit: participant.endConferenceOnExit,
      beep: participant.beep,
      waitUrl: participant.waitUrl,
    })),
  };
}
