import { render } from 'preact';
import { loadDrafts } from './drafts.ts';
import { Popup } from './Popup.tsx';

render(<Popup drafts={await loadDrafts()} />, document.getElementById('app') as HTMLElement);
