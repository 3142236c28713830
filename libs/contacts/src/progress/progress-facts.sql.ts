/** An inbound text in the conversation of attempt `a` (a text attempt's lease is its conversation). */
const VOTER_REPLIED_SQL = `FROM message m WHERE m.conversation_id = a.lease_id AND m.direction = 'inbound'`;

/** An answer of attempt `a` that says open to reform: 4 or 5 on a `scale` question, or yes to `open_to_reform`. */
const OPEN_ANSWER_SQL = `FROM survey_response r JOIN campaign k ON k.id = r.campaign_id CROSS JOIN LATERAL jsonb_array_elements(k.survey_questions) q
   WHERE r.contact_attempt_id = a.id AND q->>'key' = r.question_key
     AND ((q->>'kind' = 'scale' AND r.answer IN ('4', '5')) OR (r.question_key = 'open_to_reform' AND r.answer = 'yes'))`;

/**
 * What an attempt counts as, in SQL over `contact_attempt a`: shared by the rollup (a batch at a
 * time) and by the reconciliation (every attempt at once), so both count by the same definitions
 * while each counts its own way.
 *
 * - a conversation: on the phone, a disposition that is one (`$conversations`: contacted, refused,
 *   do not call); by text, a conversation the voter replied in;
 * - an opt-out: a disposition that ends all contact (`$optOuts`); a text opt-out writes no attempt
 *   and is counted from its event (`COUNTED_OPT_OUT_SQL`, `OPT_OUT_CONVERSATION_SQL`);
 * - open to reform: an answer of 4 or 5 to a `scale` question (the 1–5 open-to-reform scale), or
 *   `yes` to the question keyed `open_to_reform`.
 */
export function attemptFactsSql(conversations: string, optOuts: string): string {
  return `CASE WHEN a.channel = 'sms' THEN EXISTS (SELECT 1 ${VOTER_REPLIED_SQL}) ELSE a.disposition = ANY (${conversations}::text[]) END AS conversation,
          a.disposition = ANY (${optOuts}::text[]) AS opt_out,
          EXISTS (SELECT 1 ${OPEN_ANSWER_SQL}) AS open`;
}

/**
 * The same facts for a batch of attempts, with `ATTEMPT_FACTS_JOINS_SQL` joined: each attempt's
 * reply and answers looked up by index, one attempt at a time. (As EXISTS in a select list the planner may
 * hash the whole of `message` and `survey_response` instead: right for every attempt at once, ruinous
 * for a few thousand of ten million.)
 */
export function attemptFactsBatchSql(conversations: string, optOuts: string): string {
  return `CASE WHEN a.channel = 'sms' THEN replied.found IS NOT NULL ELSE a.disposition = ANY (${conversations}::text[]) END AS conversation,
          a.disposition = ANY (${optOuts}::text[]) AS opt_out,
          answered_open.found IS NOT NULL AS open`;
}

/** Joined after `contact_attempt a` for `attemptFactsBatchSql`. */
export const ATTEMPT_FACTS_JOINS_SQL = `
  LEFT JOIN LATERAL (SELECT true AS found ${VOTER_REPLIED_SQL} AND a.channel = 'sms' LIMIT 1) replied ON true
  LEFT JOIN LATERAL (SELECT true AS found ${OPEN_ANSWER_SQL} LIMIT 1) answered_open ON true`;

/** A timestamp's day in the alliance's reporting zone (`zone`), as the `day` buckets name it. */
export function daySql(timestamp: string, zone: string): string {
  return `to_char(timezone(${zone}, ${timestamp}), 'YYYY-MM-DD')`;
}

/**
 * The text opt-outs counted beside `do_not_call` attempts: a condition on `opt_out_event e`. A STOP
 * or a carrier's 21610 is the voter opting out; an admin's or a texter's entry, or an opt-in, is not.
 */
export const COUNTED_OPT_OUT_SQL = `e.action = 'opt_out' AND e.source IN ('keyword', 'carrier')`;

/**
 * Joins an opt-out event `e` to the conversation it counts in (`cv`, its organization `o`, its
 * alliance `al`), shared by the rollup and the reconciliation. An event whose message has no
 * conversation (a STOP that matched none) names no campaign and counts nowhere; nor does one whose
 * conversation is another alliance's: a STOP opts out of every alliance texting from the number,
 * each with an event of its own naming the same message, and only that conversation's alliance
 * counts it.
 */
export const OPT_OUT_CONVERSATION_SQL = `
  JOIN message m ON m.id = e.message_id
  JOIN conversation cv ON cv.id = m.conversation_id AND cv.alliance_id = e.alliance_id
  JOIN organization o ON o.id = cv.organization_id
  JOIN alliance al ON al.id = cv.alliance_id`;
