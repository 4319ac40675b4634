import { render } from 'preact';
import { localizePage } from '../ui/localizePage.ts';
import { loadDrafts } from './drafts.ts';
import { Popup } from './Popup.tsx';

localizePage('extensionName');
render(<Popup drafts={await loadDrafts()} />, document.getElementById('app') as HTMLElement);
