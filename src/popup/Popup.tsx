import { LookUpForm } from './LookUpForm.tsx';

export function Popup() {
  return (
    <main class="popup">
      <LookUpForm />
    </main>
  );
}
