import { Injectable } from '@nestjs/common';
import { SegmentTaxonomyService } from '@app/segments';
import { type CampaignActor } from './campaign-actor';
import { type CampaignRecord } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { type CallScript, type RenderedScriptStep, parseCallScript, parseSurveyQuestions, renderWholeScript, type SurveyQuestion } from './scripts';

/** A made-up voter for previews: realistic enough to read the script aloud, traceable to no one. */
export const SAMPLE_VOTER = { firstName: 'Maria', lastName: 'Lopez', city: 'FRESNO', birthYear: 1987 } as const;

/**
 * Scripts against the alliance's taxonomy: saved only when every step, branch, variant and
 * question holds up, and previewed on a sample voter for any values segment.
 */
@Injectable()
export class CampaignScriptService {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly taxonomies: SegmentTaxonomyService,
  ) {}

  async save(actor: CampaignActor, campaignId: string, scriptInput: unknown, questionsInput: unknown): Promise<CampaignRecord> {
    const { script, questions } = await this.parse(actor.allianceId, scriptInput, questionsInput);
    return this.campaigns.saveScript(actor, campaignId, script, questions);
  }

  /** Renders a script (the one sent, else the saved one) for the sample voter, as a volunteer would read it. */
  async preview(
    actor: CampaignActor & { readonly displayName: string },
    campaignId: string,
    input: { script?: unknown; surveyQuestions?: unknown; segmentKey?: string },
  ): Promise<{ startStepId: string; steps: RenderedScriptStep[]; segmentKeys: string[] }> {
    const campaign = await this.campaigns.findForActor(actor, campaignId);
    const taxonomy = await this.taxonomies.current(actor.allianceId);
    const parsed =
      input.script === undefined
        ? { script: campaign.script as CallScript | null, questions: (campaign.surveyQuestions ?? []) as SurveyQuestion[] }
        : await this.parse(actor.allianceId, input.script, input.surveyQuestions ?? campaign.surveyQuestions);
    const segmentKeys = taxonomy.segments.map((segment) => segment.key);
    if (parsed.script === null) return { startStepId: '', steps: [], segmentKeys };
    const steps = renderWholeScript(parsed.script, parsed.questions, {
      voter: SAMPLE_VOTER,
      volunteer: { firstName: actor.displayName.trim().split(/\s+/)[0] ?? null },
      organization: { name: 'Your organization' },
      segmentKey: input.segmentKey !== undefined && segmentKeys.includes(input.segmentKey) ? input.segmentKey : null,
    });
    return { startStepId: parsed.script.startStepId, steps, segmentKeys };
  }

  private async parse(allianceId: string, scriptInput: unknown, questionsInput: unknown): Promise<{ script: CallScript; questions: SurveyQuestion[] }> {
    const taxonomy = await this.taxonomies.current(allianceId);
    const questions = parseSurveyQuestions(questionsInput, { valuesQuestions: taxonomy.valuesQuestions });
    const script = parseCallScript(scriptInput, {
      questions,
      segmentKeys: taxonomy.segments.map((segment) => segment.key),
      valuesQuestions: taxonomy.valuesQuestions,
    });
    return { script, questions };
  }
}
