import { hydrate } from 'preact';
import { localizePage } from '../ui/localizePage.ts';
import { Popup } from './Popup.tsx';

localizePage('extensionName');
// popup.html already holds the first render's markup (scripts/prerender.ts): hydrating only attaches
// the handlers, and nothing is awaited before it.
hydrate(<Popup />, document.getElementById('app') as HTMLElement);
