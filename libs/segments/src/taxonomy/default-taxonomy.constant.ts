import type { SegmentTaxonomyInput } from './segment-taxonomy';

/**
 * The founding alliance's typology, which every new alliance starts from. The values questions'
 * likelihoods are starting guesses a data lead should replace with what their own poll measured.
 */
export const DEFAULT_TAXONOMY: SegmentTaxonomyInput = {
  segments: [
    {
      key: 'pro_tax_base',
      name: 'Pro-Tax & Fiscal Base',
      description: 'About 15% of the electorate; already supports fiscal reform. Turn them out and ask them to bring others.',
      colour: '#2e7d32',
    },
    {
      key: 'aspiring_poc',
      name: 'Aspiring People of Color',
      description:
        'Middle and working-class voters of color who believe in an active government but do not work from a justice frame; often unmobilized. Speak to opportunity and getting ahead.',
      colour: '#ef6c00',
    },
    {
      key: 'balanced_suburbans',
      name: 'Balanced Suburbans',
      description: 'Frequent voters, less likely to support major change. Activate fairness, stability and value for money.',
      colour: '#1565c0',
    },
    { key: 'other', name: 'Everyone else', description: 'The rest of the electorate.', colour: '#757575' },
  ],
  valuesQuestions: [
    {
      key: 'fund_schools_by_taxing_wealth',
      prompt: 'Should the wealthiest pay more in taxes so that schools and local services are fully funded?',
      answers: [
        { key: 'yes', label: 'Yes', likelihoods: { pro_tax_base: 0.85, aspiring_poc: 0.6, balanced_suburbans: 0.3, other: 0.4 } },
        { key: 'unsure', label: 'Not sure', likelihoods: { pro_tax_base: 0.1, aspiring_poc: 0.3, balanced_suburbans: 0.35, other: 0.3 } },
        { key: 'no', label: 'No', likelihoods: { pro_tax_base: 0.05, aspiring_poc: 0.1, balanced_suburbans: 0.35, other: 0.3 } },
      ],
    },
    {
      key: 'government_helps_families_get_ahead',
      prompt: 'Government should do more to help working families get ahead.',
      answers: [
        { key: 'agree', label: 'Agree', likelihoods: { pro_tax_base: 0.7, aspiring_poc: 0.8, balanced_suburbans: 0.35, other: 0.45 } },
        { key: 'neutral', label: 'Neither', likelihoods: { pro_tax_base: 0.2, aspiring_poc: 0.15, balanced_suburbans: 0.35, other: 0.3 } },
        { key: 'disagree', label: 'Disagree', likelihoods: { pro_tax_base: 0.1, aspiring_poc: 0.05, balanced_suburbans: 0.3, other: 0.25 } },
      ],
    },
    {
      key: 'pace_of_change',
      prompt: 'Does our state need big changes, or steady improvements to what works?',
      answers: [
        { key: 'big_changes', label: 'Big changes', likelihoods: { pro_tax_base: 0.6, aspiring_poc: 0.45, balanced_suburbans: 0.15, other: 0.35 } },
        {
          key: 'steady_improvements',
          label: 'Steady improvements',
          likelihoods: { pro_tax_base: 0.4, aspiring_poc: 0.55, balanced_suburbans: 0.85, other: 0.65 },
        },
      ],
    },
  ],
};
