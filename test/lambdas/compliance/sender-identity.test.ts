import { senderIdentityProblems } from '../../../lambdas/compliance/sender-identity';

describe('senderIdentityProblems', () => {
  it.each([
    ['West End Realty'],
    ['Yes Homes'],
    ['Help Desk Realty'],
    ['Info Properties'],
    ['Quit Claim Title Co'],
    ['Start Line Homes'],
    ['Cancel Creek Estates'],
    ['Harbor Realty'],
    ['José O’Neill-Pérez'],
    ['Downtown Lofts Realty'],
  ])('accepts the ordinary name %s', (name) => {
    // act
    const problems = senderIdentityProblems(name, 80);

    // assess
    expect(problems).toEqual([]);
  });

  it.each([
    ['Stop', /keyword STOP/],
    ['opt out', /keyword OPT OUT/],
    ['Evil STOP', /keyword STOP/],
    ['Text STOP to quit', /keyword STOP/],
    ['text stop realty', /keyword STOP/],
    ['Reply YES Realty', /keyword YES/],
    ['reply yes homes', /keyword YES/],
    ['Dana OPT-OUT Reyes', /keyword OPT OUT/],
    ['Send HELP Realty', /keyword HELP/],
    ['UNSUBSCRIBE Homes', /keyword UNSUBSCRIBE/],
    ['Free CBD', /SHAFT: cannabis/],
    ['cbd realty', /SHAFT: cannabis/],
    ['The CBDs Group', /SHAFT: cannabis/],
    ['Vape Shop Realty', /SHAFT: tobacco/],
  ])('refuses %s', (name, rule) => {
    // act
    const problems = senderIdentityProblems(name, 80);

    // assess
    expect(problems.join('; ')).toMatch(rule);
  });

  it('names every keyword that reads as an instruction, and only those', () => {
    // act
    const problems = senderIdentityProblems('West End STOP Realty', 80);

    // assess
    expect(problems).toEqual(['must not contain the texting keyword STOP: carriers act on them']);
  });
});
