import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signTwilioRequest, verifyTwilioSignature } from '../../../../lambdas/adapters/twilio/signature';

const authToken = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
// The worked example of Twilio's "Webhooks security" page.
const documentedSignature = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

/**
 * Twilio's documented algorithm, computed here without the twilio library: HMAC-SHA1 with the auth
 * token over the URL followed by every param name and value, names sorted, base64
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
function documentedSignatureOf(token: string, hookUrl: string, form: Record<string, string>): string {
  const data = Object.keys(form)
    .sort()
    .reduce((acc, key) => acc + key + form[key], hookUrl);
  return createHmac('sha1', token).update(data, 'utf8').digest('base64');
}

/** Flips one character so the result differs from the input. */
const tamper = (text: string, index: number): string => {
  const at = index % text.length;
  const swapped = text[at] === 'x' ? 'y' : 'x';
  return text.slice(0, at) + swapped + text.slice(at + 1);
};

describe('verifyTwilioSignature', () => {
  it('accepts the request of Twilio’s documented example', () => {
    // prepare: the documented signature
    // act
    const valid = verifyTwilioSignature({ authToken, url, params, signature: documentedSignature });
    // assess
    expect(valid).toBe(true);
  });

  it('accepts the older documented example (twilio-php guide, caller +14158675309)', () => {
    // prepare
    const older = { ...params, Caller: '+14158675309', From: '+14158675309' };
    // act
    const valid = verifyTwilioSignature({
      authToken,
      url,
      params: older,
      signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    });
    // assess
    expect(valid).toBe(true);
  });

  it('accepts any request signed by the documented algorithm', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z]{1,12}$/), fc.string()),
        fc.webPath(),
        (form, path) => {
          // prepare
          const hookUrl = `https://hooks.example.com${path}`;
          const signature = documentedSignatureOf('secret-token', hookUrl, form);
          // act
          const valid = verifyTwilioSignature({
            authToken: 'secret-token',
            url: hookUrl,
            params: form,
            signature,
          });
          // assess
          expect(valid).toBe(true);
        },
      ),
    );
  });

  it('rejects the request when one character of a param value changes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(params)), fc.nat(), (key, index) => {
        // prepare
        const changed = { ...params, [key]: tamper(params[key as keyof typeof params], index) };
        // act
        const valid = verifyTwilioSignature({
          authToken,
          url,
          params: changed,
          signature: documentedSignature,
        });
        // assess
        expect(valid).toBe(false);
      }),
    );
  });

  it('rejects the request when one character of the URL changes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 'https://'.length, max: url.length - 1 }), (index) => {
        // prepare
        const changedUrl = tamper(url, index);
        // act
        const valid = verifyTwilioSignature({
          authToken,
          url: changedUrl,
          params,
          signature: documentedSignature,
        });
        // assess
        expect(valid).toBe(false);
      }),
    );
  });

  it('rejects the request when the auth token differs by one character', () => {
    fc.assert(
      fc.property(fc.nat(), (index) => {
        // prepare
        const otherToken = tamper(authToken, index);
        // act
        const valid = verifyTwilioSignature({
          authToken: otherToken,
          url,
          params,
          signature: documentedSignature,
        });
        const validWithTheRightToken = verifyTwilioSignature({
          authToken,
          url,
          params,
          signature: documentedSignature,
        });
        // assess
        expect(valid).toBe(false);
        expect(validWithTheRightToken).toBe(true);
      }),
    );
  });

  it('rejects a request with an added param', () => {
    // prepare
    const extended = { ...params, Body: 'STOP' };
    // act
    const valid = verifyTwilioSignature({ authToken, url, params: extended, signature: documentedSignature });
    // assess
    expect(valid).toBe(false);
  });

  it('ignores the order in which the params arrive', () => {
    // prepare
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    // act
    const valid = verifyTwilioSignature({ authToken, url, params: reversed, signature: documentedSignature });
    // assess
    expect(Object.keys(reversed)).not.toEqual(Object.keys(params));
    expect(valid).toBe(true);
  });

  it('rejects a missing or empty signature and a malformed URL without throwing', () => {
    // prepare
    const malformed = 'not a url';
    const signedMalformed = documentedSignatureOf(authToken, malformed, params);
    // act
    const results = [
      verifyTwilioSignature({ authToken, url, params, signature: undefined }),
      verifyTwilioSignature({ authToken, url, params, signature: '' }),
      verifyTwilioSignature({ authToken, url: malformed, params, signature: `${signedMalformed}x` }),
    ];
    // assess
    expect(results).toEqual([false, false, false]);
  });
});

describe('signTwilioRequest', () => {
  it('signs as Twilio documents: HMAC-SHA1 of the URL followed by the sorted names and values', () => {
    // prepare: an independent computation of the documented algorithm
    const expected = documentedSignatureOf(authToken, url, params);
    // act
    const signature = signTwilioRequest({ authToken, url, params });
    // assess
    expect(signature).toBe(expected);
    expect(signature).toBe(documentedSignature);
  });

  it('signs any form as the documented algorithm does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z]{1,12}$/), fc.string()), (form) => {
        // prepare
        const hookUrl = 'https://hooks.example.com/twilio/status?agent=a1';
        // act
        const signature = signTwilioRequest({ authToken: 'tok', url: hookUrl, params: form });
        // assess
        expect(signature).toBe(documentedSignatureOf('tok', hookUrl, form));
      }),
    );
  });
});
