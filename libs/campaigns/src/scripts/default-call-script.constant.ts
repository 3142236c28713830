import type { CallScript } from './call-script';

/**
 * A starter script for a civic-engagement phone bank, written against the default taxonomy and
 * `DEFAULT_SURVEY_QUESTIONS`: an introduction, the case for reform worded for each segment with a
 * 1–5 openness question, a values question, and a pledge whose answer leads to a thank-you or a
 * soft close. The "other" segment hears the base text, which is written for everyone.
 */
export const DEFAULT_CALL_SCRIPT: CallScript = {
  startStepId: 'introduction',
  steps: [
    {
      id: 'introduction',
      title: 'Introduction',
      text:
        "Hi {voter.first_name|there}, my name is {volunteer.first_name} and I'm a volunteer with {organization.name}. " +
        "We're talking with neighbors in {voter.city|your area} about how our schools and local services are funded. Do you have two minutes?",
      variants: [],
      questionKey: null,
      branches: [],
      next: 'make_the_case',
    },
    {
      id: 'make_the_case',
      title: 'Make the case',
      text:
        'Right now our state pays for schools and local services in a way that leaves many communities short every year. ' +
        'A lot of people think it is time to change how we fund them so every community gets its fair share.',
      variants: [
        {
          segmentKey: 'pro_tax_base',
          text:
            'You may already know that the wealthiest households here pay a smaller share of their income in state taxes than working families do. ' +
            'We are asking for a fair tax system that fully funds our schools, and we need voters like you to speak up for it.',
        },
        {
          segmentKey: 'aspiring_poc',
          text:
            'Every family here deserves a real shot at getting ahead, and that starts with strong schools, job training and services that work. ' +
            'Right now working families pay more than their share while those opportunities go underfunded.',
        },
        {
          segmentKey: 'balanced_suburbans',
          text:
            'We all want our tax dollars spent well and the rules to be fair for everyone. ' +
            'Today families like yours pay a bigger share of their income than the wealthiest do, and our schools still come up short each year.',
        },
      ],
      questionKey: 'open_to_reform',
      branches: [],
      next: 'values',
    },
    {
      id: 'values',
      title: 'Values',
      text: 'Thank you, that is really helpful. One more quick question.',
      variants: [],
      questionKey: 'families_get_ahead',
      branches: [],
      next: 'pledge',
    },
    {
      id: 'pledge',
      title: 'Ask for a pledge',
      text: 'Lawmakers vote on school funding this spring, and they listen when they hear from voters in their own district.',
      variants: [],
      questionKey: 'pledge_to_call',
      branches: [
        { answer: 'yes', next: 'thank_you' },
        { answer: 'maybe', next: 'soft_close' },
        { answer: 'no', next: 'soft_close' },
      ],
      next: 'soft_close',
    },
    {
      id: 'thank_you',
      title: 'Thank you',
      text:
        "Thank you, {voter.first_name|that means a lot}! We'll text you your representative's number and a few words you can use. " +
        'Thanks for your time, and have a great day.',
      variants: [],
      questionKey: null,
      branches: [],
      next: null,
    },
    {
      id: 'soft_close',
      title: 'Soft close',
      text:
        'No problem at all, and thank you for hearing me out. If you would like to learn more, you can find {organization.name} online anytime. ' +
        'Have a great day!',
      variants: [],
      questionKey: null,
      branches: [],
      next: null,
    },
  ],
};
