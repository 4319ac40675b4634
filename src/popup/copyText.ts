/**
 * "Copy URL". `navigator.clipboard.writeText` works in both browsers' extension pages, the toolbar popup
 * included, while the click's user activation lasts, with no permission: Chrome lets extension pages
 * write with a user gesture, and Firefox asks for the `clipboardWrite` permission only for writes
 * outside a user action (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Interact_with_the_clipboard#writing_to_the_clipboard).
 * So the manifest asks for none, and this must be called from the click, before the handler's first await.
 */
export function copyText(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

/** "Copy Markdown": `![name](url)`, as Markdown editors and Glean's own text fields take an image. */
export function markdownImage(name: string, url: string): string {
  // A name with brackets or a line break would end the alt text early; the URL's parentheses its target.
  const alt = name.replace(/[\r\n]+/g, ' ').replace(/([\\[\]])/g, '\\$1');
  // encodeURIComponent leaves parentheses as they are, so they are escaped by hand.
  const target = url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `![${alt}](${target})`;
}
