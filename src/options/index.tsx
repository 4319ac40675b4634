import { render } from 'preact';
import { localizePage } from '../ui/localizePage.ts';
import { OptionsPage } from './OptionsPage.tsx';

localizePage('optionsPageTitle');
render(<OptionsPage />, document.getElementById('app') as HTMLElement);
