/** Small DOM helpers: one visible view at a time, one error region, busy buttons, the footer's hosting note. */
import type { AuthUiRuntimeConfig } from '@openclaw-tenancy/shared';

export type ViewName =
  | 'loading'
  | 'config-error'
  | 'sign-in'
  | 'sign-up'
  | 'confirm'
  | 'forgot'
  | 'reset'
  | 'new-password'
  | 'mfa-code'
  | 'mfa-setup'
  | 'session'
  | 'progress';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
}

export function showView(name: ViewName): void {
  for (const view of Array.from(document.querySelectorAll<HTMLElement>('[data-view]'))) view.hidden = view.id !== `view-${name}`;
  // Move focus to the new view's heading so screen readers announce it and Tab starts there.
  byId(`view-${name}`).querySelector<HTMLElement>('h2')?.focus();
}

export function setStatus(text: string): void {
  byId('status').textContent = text;
}

export function clearError(): void {
  const region = byId('error');
  region.textContent = '';
  region.hidden = true;
  for (const input of Array.from(document.querySelectorAll('[aria-invalid="true"]'))) input.removeAttribute('aria-invalid');
}

/** Shows the message in the alert region; marks and focuses the field it is about. */
export function showError(message: string, field?: HTMLInputElement): void {
  clearError();
  setStatus('');
  const region = byId('error');
  region.textContent = message;
  region.hidden = false;
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-errormessage', 'error');
    field.focus();
  }
}

export function setBusy(form: HTMLFormElement, busy: boolean): void {
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (button) button.disabled = busy;
  form.setAttribute('aria-busy', String(busy));
}

export function inputOf(form: HTMLFormElement, name: string): HTMLInputElement {
  const input = form.elements.namedItem(name);
  if (!(input instanceof HTMLInputElement)) throw new Error(`form #${form.id} has no input "${name}"`);
  return input;
}

/**
 * Where this site runs, for the footer: the cloud deployment names the services behind it; a
 * site whose user pool is a local endpoint (the local platform's cognito-local) says that
 * everything runs on this machine, offline, with stand-ins.
 */
export function hostingNote(config: AuthUiRuntimeConfig): string {
  return config.cognitoEndpoint === undefined
    ? 'Powered by Amazon EKS + Bedrock'
    : 'Running on this machine, offline: local stand-ins for AWS and for the model';
}

/** Puts {@link hostingNote} at the end of the footer, after its links. */
export function showHostingNote(config: AuthUiRuntimeConfig): void {
  const footer = document.querySelector('footer');
  if (!footer) return;
  const last = footer.lastChild;
  const text = ` · ${hostingNote(config)}`;
  // The note is the text after the last link (`<a>Terms</a> · <a>Privacy</a> · <note>`).
  if (last?.nodeType === Node.TEXT_NODE && last.previousSibling instanceof HTMLAnchorElement) last.textContent = text;
  else footer.append(text);
}
