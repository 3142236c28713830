import { PARAMETER_SETS, type ParameterSetName } from './parameter-sets.constant';
import { powerOneToOneClosedForm } from './power-closed-form.util';

describe('powerOneToOneClosedForm', () => {
  // §5.6 computes these with E[R_h] = 10 s and E[D_m] = 15 + 3.5 s; this model truncates the human ring
  // below the timeout and lets machines picking up after it ring out, which idles volunteers slightly less.
  it.each<[ParameterSetName, number, number]>([
    ['S5', 0.684, 13.7],
    ['M20', 0.354, 17.3],
    ['L100', 0.209, 13.9],
  ])('%s: utilization within 0.01 of %s, %s conversations per volunteer-hour', (name, utilization, conversations) => {
    const closedForm = powerOneToOneClosedForm(PARAMETER_SETS[name]);
    expect(Math.abs(closedForm.utilization - utilization)).toBeLessThan(0.01);
    expect(Math.abs(closedForm.conversationsPerVolunteerHour - conversations)).toBeLessThan(0.4);
  });

  it('follows the §5.6 answer-rate sensitivity table within 5%', () => {
    const table: Array<[number, number, number, number]> = [
      [0.05, 6.8, 8.8, 9.2],
      [0.1, 10.2, 15.0, 16.3],
      [0.2, 13.7, 23.2, 26.6],
      [0.3, 15.4, 28.3, 33.6],
    ];
    for (const [human, ...documented] of table) {
      (['S5', 'M20', 'L100'] as const).forEach((name, column) => {
        const parameters = PARAMETER_SETS[name];
        const closedForm = powerOneToOneClosedForm({ ...parameters, outcomes: { ...parameters.outcomes, human } });
        expect(Math.abs(closedForm.conversationsPerVolunteerHour / documented[column] - 1)).toBeLessThan(0.05);
      });
    }
  });

  it('is 3600 / (E[H] + idle), and idle grows as answers get rarer', () => {
    const closedForm = powerOneToOneClosedForm(PARAMETER_SETS.M20);
    expect(closedForm.conversationsPerVolunteerHour).toBeCloseTo(3600 / (75 + closedForm.idleSecondsPerConversation), 10);
    const rarer = powerOneToOneClosedForm({ ...PARAMETER_SETS.M20, outcomes: { ...PARAMETER_SETS.M20.outcomes, human: 0.06 } });
    expect(rarer.idleSecondsPerConversation).toBeGreaterThan(closedForm.idleSecondsPerConversation * 1.8);
  });
});
