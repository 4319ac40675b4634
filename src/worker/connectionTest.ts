/**
 * "Test connection": one real request for an image that cannot exist. Glean answering 404 means it was
 * reached and accepted the token; 401 and 403 say what is wrong with the token. A 400 is no success:
 * Glean answers it to a global token sent without X-Glean-ActAs (the "Act as" field), so the report
 * quotes what the 400 said and, with no "Act as" set, says a global token needs one.
 */
import type { GleanClient, GleanConnection } from '../glean/client.ts';
import { GleanError } from '../glean/gleanError.ts';
import { describeGleanError } from '../glean/userMessages.ts';
import { t } from '../shared/i18n.ts';
import type { ConnectionReport, ConnectionVerdict } from '../shared/messages.ts';

export async function testConnection(connection: () => Promise<GleanConnection>, client: GleanClient): Promise<ConnectionReport> {
  let conn: GleanConnection;
  try {
    conn = await connection();
  } catch (error) {
    if (error instanceof GleanError && error.code === 'no-access') return { verdict: 'no-access', message: describeGleanError(error, 'test') };
    return { verdict: 'not-configured', message: t('connectionNotConfigured') };
  }
  const host = new URL(conn.baseUrl).host;
  try {
    await client.getImage(conn, { key: `connection-test-${crypto.randomUUID()}` });
    return { verdict: 'ok', message: t('connectionOk', host) };
  } catch (error) {
    if (!(error instanceof GleanError)) throw error;
    const { code, status } = error;
    const report = (verdict: ConnectionVerdict, message: string): ConnectionReport => ({ verdict, message, ...(status ? { status } : {}) });
    switch (code) {
      case 'not-found':
        return report('ok', t('connectionOk', host));
      case 'bad-request': {
        const said = error.bodyExcerpt ? t('connectionBadRequest', host, error.bodyExcerpt) : t('connectionBadRequestSilent', host);
        const hint = conn.actAs ? t('connectionCheckActAs') : t('connectionNeedsActAs');
        return report('unexpected', `${said} ${hint}`);
      }
      case 'unauthorized':
        return report('token-rejected', t('connectionTokenRejected', host));
      case 'forbidden':
        return report('not-permitted', t('connectionNotPermitted', host));
      case 'unreachable':
      case 'timeout':
        return { verdict: 'unreachable', message: t('connectionUnreachable', host) };
      default:
        // Glean was reached but could not say yes: a 5xx or 429 passes by itself and a sign-in page
        // means the instance or token is wrong, so say which instead of doubting the instance name.
        if (error.retryable || code === 'bad-response') return report('unexpected', describeGleanError(error, 'test'));
        return report('unexpected', status ? t('connectionUnexpectedStatus', host, status) : t('connectionUnexpected', host));
    }
  }
}
