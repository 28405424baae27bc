/** A well-formed custom cadence body, as an agent would send it: three steps, each later than the last. */
export const shortCadence = {
  name: 'Short cadence',
  steps: [
    { step: 1, offset: { days: 7 }, template: 'Hi {firstName}, it is {agentName}.' },
    { step: 2, offset: { months: 2 }, template: 'Hi {firstName}, how is {address}?' },
    { step: 3, offset: { years: 1 }, template: 'Happy {years}-year anniversary, {firstName}!' },
  ],
};

/** The short cadence with `steps` instead of its own. */
export function cadenceWithSteps(steps: unknown[]): Record<string, unknown> {
  return { ...shortCadence, steps };
}
