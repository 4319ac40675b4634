/**
 * Prints the popup's first render as HTML, for scripts/build.ts to put in popup.html: the popup then
 * paints before any script runs, and src/popup/index.tsx only hydrates it. Rendered by Preact's own
 * `render` into a minimal DOM (below), in its own process because it fakes the browser's globals:
 * the extension API answers nothing (the first render needs none of it) and words come from the
 * English messages (test/setup/locale.ts, the same `chrome.i18n` the tests use).
 */
import '../test/setup/locale.ts';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const escapeText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string): string => escapeText(text).replace(/"/g, '&quot;');

class FakeNode {
  parentNode: FakeElement | null = null;
  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
}

class FakeText extends FakeNode {
  readonly nodeType = 3;
  constructor(public data: string) {
    super();
  }
  override toString(): string {
    return escapeText(this.data);
  }
}

class FakeElement extends FakeNode {
  readonly nodeType = 1;
  readonly namespaceURI = 'http://www.w3.org/1999/xhtml';
  readonly childNodes: FakeNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly style = { setProperty: (): void => undefined };
  constructor(readonly localName: string) {
    super();
  }
  /** A property in a real DOM, so Preact sets it as one, and the browser reflects it as this attribute. */
  set spellcheck(value: boolean) {
    this.setAttribute('spellcheck', String(value));
  }
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  insertBefore(node: FakeNode, before: FakeNode | null): FakeNode {
    node.remove();
    node.parentNode = this;
    const at = before ? this.childNodes.indexOf(before) : -1;
    this.childNodes.splice(at === -1 ? this.childNodes.length : at, 0, node);
    return node;
  }
  appendChild(node: FakeNode): FakeNode {
    return this.insertBefore(node, null);
  }
  removeChild(node: FakeNode): FakeNode {
    this.childNodes.splice(this.childNodes.indexOf(node), 1);
    node.parentNode = null;
    return node;
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name.toLowerCase(), String(value));
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name.toLowerCase());
  }
  addEventListener(): void {}
  removeEventListener(): void {}
  override toString(): string {
    const attributes = [...this.attributes].map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
    if (VOID.has(this.localName)) return `<${this.localName}${attributes} />`;
    return `<${this.localName}${attributes}>${this.childNodes.join('')}</${this.localName}>`;
  }
}

const never = (): Promise<never> => new Promise(() => undefined);
const listeners = { addListener: (): void => undefined, removeListener: (): void => undefined };
const scope = globalThis as Record<string, unknown>;
scope.document = {
  createElement: (name: string) => new FakeElement(name),
  createElementNS: (_namespace: string, name: string) => new FakeElement(name),
  createTextNode: (text: string) => new FakeText(text),
  // The popup listens on the document for drops and pastes from its first render (src/popup/useImageFromPage.ts).
  addEventListener: (): void => undefined,
  removeEventListener: (): void => undefined,
};
scope.chrome = {
  ...(scope.chrome as object),
  runtime: { id: 'prerender', connect: () => ({ onDisconnect: listeners, onMessage: listeners }), sendMessage: never, onMessage: listeners, getURL: (path: string) => path },
  storage: { local: { get: never, set: never }, onChanged: listeners },
  permissions: { contains: never, onAdded: listeners, onRemoved: listeners },
};

const { h, render } = await import('preact');
const { Popup } = await import('../src/popup/Popup.tsx');
const app = new FakeElement('div');
render(h(Popup, null), app as unknown as HTMLElement);
process.stdout.write(app.childNodes.join(''));
process.exit(0);
