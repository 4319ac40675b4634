/** The two pages a person sees in the sign-in window: the consent page and the error page. */
import type { Reply } from '../reply.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string, headers: Record<string, string> = {}): Reply {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
  .buttons { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
  button { font: inherit; padding: 0.5rem 1.25rem; }
  code { word-break: break-all; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The page is only ever a top-level window: refuse framing, as a real sign-in page does.
      'x-frame-options': 'DENY',
      ...headers,
    },
    body: Buffer.from(html),
  };
}

/** A request that cannot be sent back to the client (unknown client, unapproved redirect URI). */
export function errorPage(title: string, message: string): Reply {
  return page(400, title, `<p role="alert">${escapeHtml(message)}</p>`);
}

export interface ConsentPage {
  /** Who asks the person to sign in, e.g. "Glean (sandbox)". */
  serverName: string;
  clientName: string;
  redirectUri: string;
  scope: readonly string[];
  decisionPath: string;
  /** The authorization request, carried to the decision in hidden fields. */
  fields: Record<string, string>;
}

export function consentPage({ serverName, clientName, redirectUri, scope, decisionPath, fields }: ConsentPage): Reply {
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const scopes = scope.length > 0 ? scope.map((name) => `<li><code>${escapeHtml(name)}</code></li>`).join('') : '<li>(none)</li>';
  const body = `<p><strong>${escapeHtml(clientName)}</strong> wants to use your account.</p>
<p>Access it asks for:</p>
<ul>${scopes}</ul>
<p>You will be sent back to <code>${escapeHtml(redirectUri)}</code>.</p>
<form method="post" action="${escapeHtml(decisionPath)}">
${hidden}
<div class="buttons">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p><small>This is a local sandbox: there is no password, and nothing leaves this computer.</small></p>`;
  return page(200, `Sign in to ${serverName}`, body);
}
