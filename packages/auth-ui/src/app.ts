/**
 * The auth UI: sign up, confirm, sign in, reset, sign out, and the progress
 * view that waits for the workspace before opening it. Configuration comes
 * from `/config.json`, generated at deploy time.
 */
import {
  AUTH_UI_CONFIG_PATH,
  MFA_CODE_CHALLENGE,
  MFA_SETUP_CHALLENGE,
  NEW_PASSWORD_CHALLENGE,
  AuthUiRuntimeConfig,
  SIGNED_OUT_PARAM,
  SessionChallenge,
  SessionView,
  authUiRuntimeConfigProblems,
  routeEdgeRequest,
  tenantNames,
} from '@openclaw-tenancy/shared';
import { AuthFlows, withTenantClaim } from './auth-flows';
import { CognitoError } from './cognito-api';
import { FlowStep, friendlyCognitoError } from './cognito-errors';
import {
  codeProblem,
  currentPasswordProblem,
  emailProblem,
  mfaCodeProblem,
  nameProblem,
  newPasswordProblem,
  PASSWORD_RULE_LABELS,
  passwordRulesMet,
} from './form-rules';
import { byId, clearError, inputOf, setBusy, setStatus, showError, showHostingNote, showView, ViewName } from './page';
import { WorkspacePhase, progressPercent, progressStage, waitForWorkspace } from './readiness-poller';

const NEW_WORKSPACE_TIMEOUT_MS = 5 * 60_000;
const RETURNING_WORKSPACE_TIMEOUT_MS = 90_000;

let flows: AuthFlows;
/** The workspace of the signed-in user, as the session endpoint last reported it (no token is ever held here). */
let currentTenantId: string | undefined;
/** Between sign-up and confirmation only; the password never leaves memory and is dropped after use. */
let pending: { email: string; password?: string } | undefined;

async function loadConfig(): Promise<AuthUiRuntimeConfig> {
  let raw: unknown;
  try {
    const response = await fetch(AUTH_UI_CONFIG_PATH, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${AUTH_UI_CONFIG_PATH} answered HTTP ${response.status}`);
    raw = await response.json();
  } catch (e) {
    throw new Error(`${(e as Error).message}`);
  }
  const problems = authUiRuntimeConfigProblems(raw);
  if (problems.length > 0) throw new Error(`${AUTH_UI_CONFIG_PATH}: ${problems.join('; ')}`);
  return raw as AuthUiRuntimeConfig;
}

/** `?next=/t/<id>/…` is honoured only for the signed-in user's own workspace (no open redirect). */
function workspaceUrl(tenantId: string): string {
  const next = new URLSearchParams(location.search).get('next');
  if (next && next.startsWith('/')) {
    const route = routeEdgeRequest(next);
    if (route.kind === 'tenant' && route.tenantId === tenantId) return new URL(next, location.origin).pathname;
  }
  return `${tenantNames(tenantId).routePath}/`;
}

/** The workspace `?next=` names when it is not the signed-in user's own (the user followed someone else's link). */
function foreignNext(tenantId: string | undefined): string | undefined {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/')) return undefined;
  const route = routeEdgeRequest(next);
  return route.kind === 'tenant' && route.tenantId !== tenantId ? route.tenantId : undefined;
}

function go(view: ViewName): void {
  clearError();
  showView(view);
}

/** Runs a form's action with validation first: nothing is sent while a field is invalid. */
function onSubmit(
  formId: string,
  step: FlowStep,
  checks: Array<[string, (v: string) => string | undefined]>,
  action: (values: Record<string, string>) => Promise<void>,
): void {
  const form = byId<HTMLFormElement>(formId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const values: Record<string, string> = {};
    for (const [name, check] of checks) {
      const input = inputOf(form, name);
      values[name] = name === 'password' ? input.value : input.value.trim();
      const problem = check(input.value);
      if (problem) {
        showError(problem, input);
        return;
      }
    }
    setBusy(form, true);
    action(values)
      .catch((error: unknown) => {
        // A refused code is about the code field: mark and focus it like a local validation error.
        const codeRefused = error instanceof CognitoError && ['CodeMismatchException', 'ExpiredCodeException'].includes(error.type);
        const codeInput = form.elements.namedItem('code');
        showError(friendlyCognitoError(error, step), codeRefused && codeInput instanceof HTMLInputElement ? codeInput : undefined);
      })
      .finally(() => setBusy(form, false));
  });
}

/**
 * A sign-in step either opens the workspace or asks for the next step: the user's own password (an invited user),
 * the authenticator code, or the set-up of an authenticator app (a pool that requires MFA).
 */
async function afterSignIn(email: string, result: SessionView | SessionChallenge, isNew: boolean): Promise<void> {
  if (!('challenge' in result)) {
    pending = undefined;
    await enterWorkspace(result, isNew);
    return;
  }
  pending = { email };
  switch (result.challenge) {
    case NEW_PASSWORD_CHALLENGE:
      go('new-password');
      setStatus('Welcome. Choose your own password to finish signing in.');
      return;
    case MFA_CODE_CHALLENGE:
      go('mfa-code');
      setStatus('');
      return;
    case MFA_SETUP_CHALLENGE:
      // Shown once, for the person to add to their app; the page keeps it nowhere else.
      byId('mfa-setup-key').textContent = result.secretCode.replace(/(.{4})/g, '$1 ').trim();
      byId<HTMLAnchorElement>('mfa-setup-link').href = result.otpauthUri;
      go('mfa-setup');
      setStatus('');
      return;
  }
}

async function enterWorkspace(session: SessionView, isNew: boolean): Promise<void> {
  setStatus(isNew ? 'E-mail verified. Setting up your workspace…' : 'Signed in.');
  const withClaim = await withTenantClaim(flows, session);
  const tenantId = withClaim.tenantId;
  currentTenantId = tenantId;
  if (!tenantId) {
    showError(
      'Your account is confirmed, but your workspace has not been assigned yet. Please try again in a minute; if it persists, contact your administrator.',
    );
    return;
  }
  await showProgress(tenantId, isNew);
}

async function showProgress(tenantId: string, isNew: boolean): Promise<void> {
  go('progress');
  byId('progress-title').textContent = isNew ? 'Setting up your workspace' : 'Opening your workspace';
  byId('progress-hint').textContent = isNew
    ? 'This usually takes well under a minute.'
    : 'This may take a few seconds if your workspace was idle.';
  byId('progress-timeout').hidden = true;
  const bar = byId('progress-bar');
  const meter = bar.parentElement as HTMLElement;
  const timeoutMs = isNew ? NEW_WORKSPACE_TIMEOUT_MS : RETURNING_WORKSPACE_TIMEOUT_MS;
  const render = (elapsed: number, phase?: WorkspacePhase): void => {
    const percent = progressPercent(elapsed, isNew);
    bar.style.width = `${percent}%`;
    meter.setAttribute('aria-valuenow', String(percent));
    byId('progress-stage').textContent = progressStage(elapsed, isNew, phase);
  };
  render(0);
  const outcome = await waitForWorkspace({ tenantId, timeoutMs, onTick: render });
  if (outcome === 'ready') {
    bar.style.width = '100%';
    meter.setAttribute('aria-valuenow', '100');
    setStatus('Your workspace is ready. Opening it…');
    location.assign(workspaceUrl(tenantId));
  } else if (outcome === 'timeout') {
    byId('progress-stage').textContent = '';
    byId('progress-timeout').hidden = false;
    byId('progress-retry').onclick = () => void showProgress(tenantId, isNew);
  } else {
    const moved = outcome === 'forbidden' ? await movedWorkspace(tenantId) : undefined;
    if (moved) {
      await showProgress(moved, isNew);
      return;
    }
    // The session is not usable for this workspace: end it, so nothing stale is left in the browser.
    await flows.signOut(tenantId).catch(() => undefined);
    currentTenantId = undefined;
    go('sign-in');
    showError(
      outcome === 'forbidden' ? 'This workspace belongs to another account.' : 'Your session was not accepted. Please sign in again.',
    );
  }
}

/**
 * The edge refuses a token whose tenant claim is stale (the provisioner moved
 * the claim to another id because an operator had taken this one): a fresh
 * token names the new id. Returns it, with the session and cookie switched
 * over, or `undefined` when the refusal stands.
 */
async function movedWorkspace(refusedTenantId: string): Promise<string | undefined> {
  const refreshed = await flows.refresh(refusedTenantId).catch(() => undefined);
  const tenantId = refreshed?.tenantId;
  if (!tenantId || tenantId === refusedTenantId) return undefined;
  currentTenantId = tenantId;
  return tenantId;
}

async function signOut(): Promise<void> {
  let revokeFailed = false;
  await flows.signOut(currentTenantId).then(
    ({ everywhere }) => (revokeFailed = !everywhere),
    () => (revokeFailed = true),
  );
  currentTenantId = undefined;
  pending = undefined;
  go('sign-in');
  setStatus(
    revokeFailed
      ? 'You are signed out on this device. The server could not be reached to end the session everywhere.'
      : 'You are signed out.',
  );
}

/** Came back from the workspace's sign-out (`/t/<id>/_platform/sign-out`): finish it here, where the refresh cookie reaches. */
async function finishWorkspaceSignOut(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  if (!params.has(SIGNED_OUT_PARAM)) return false;
  params.delete(SIGNED_OUT_PARAM);
  history.replaceState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}${location.hash}`);
  await signOut();
  return true;
}

async function resumeSession(): Promise<boolean> {
  let session: SessionView | undefined;
  try {
    session = await flows.refresh();
  } catch (error) {
    go('sign-in');
    if (error instanceof CognitoError && error.type !== 'NetworkError') setStatus('Your session has ended. Please sign in again.');
    else showError(friendlyCognitoError(error, 'refresh'));
    return true;
  }
  // No refresh cookie: a first visit, or signed out. Nothing to resume.
  if (!session) return false;
  const tenantId = session.tenantId;
  currentTenantId = tenantId;
  byId('session-email').textContent = session.email;
  byId('open-workspace').onclick = () =>
    tenantId ? void showProgress(tenantId, false) : showError('Your workspace has not been assigned yet.');
  const foreign = foreignNext(tenantId);
  if (foreign) {
    go('session');
    showError(`The workspace /t/${foreign}/ is not yours. You are signed in as ${session.email}; open your own workspace below.`);
  } else if (tenantId && new URLSearchParams(location.search).has('next')) {
    await showProgress(tenantId, false);
  } else {
    go('session');
  }
  return true;
}

function wireForms(): void {
  for (const trigger of Array.from(document.querySelectorAll<HTMLElement>('[data-show]'))) {
    trigger.addEventListener('click', (event) => {
      event.preventDefault();
      go(trigger.dataset['show'] as ViewName);
      setStatus('');
    });
  }
  for (const button of Array.from(document.querySelectorAll<HTMLElement>('[data-sign-out]')))
    button.addEventListener('click', () => void signOut());
  byId('sign-out').addEventListener('click', () => void signOut());
  for (const [inputId, listId] of [
    ['sign-up-password', 'sign-up-password-rules'],
    ['reset-password', 'reset-password-rules'],
    ['new-password', 'new-password-rules'],
  ] as const) {
    for (const [rule, label] of Object.entries(PASSWORD_RULE_LABELS)) {
      const li = document.createElement('li');
      li.dataset['rule'] = rule;
      li.textContent = label;
      byId(listId).append(li);
    }
    byId<HTMLInputElement>(inputId).addEventListener('input', (e) => {
      const met = passwordRulesMet((e.target as HTMLInputElement).value);
      for (const li of Array.from(byId(listId).querySelectorAll<HTMLElement>('li')))
        li.dataset['met'] = String(met[li.dataset['rule'] as keyof typeof met]);
    });
  }

  onSubmit(
    'form-sign-in',
    'sign-in',
    [
      ['email', emailProblem],
      ['password', currentPasswordProblem],
    ],
    async ({ email, password }) => {
      try {
        await afterSignIn(email!, await flows.signIn(email!, password!), false);
      } catch (error) {
        if (error instanceof CognitoError && error.type === 'UserNotConfirmedException') {
          pending = { email: email!, password: password! };
          byId('confirm-email').textContent = email!;
          go('confirm');
        }
        throw error;
      } finally {
        inputOf(byId<HTMLFormElement>('form-sign-in'), 'password').value = '';
      }
    },
  );

  onSubmit(
    'form-sign-up',
    'sign-up',
    [
      ['name', nameProblem],
      ['email', emailProblem],
      ['password', newPasswordProblem],
    ],
    async ({ name, email, password }) => {
      const { confirmed } = await flows.signUp(email!, password!, name!);
      inputOf(byId<HTMLFormElement>('form-sign-up'), 'password').value = '';
      if (confirmed) {
        await afterSignIn(email!, await flows.signIn(email!, password!), true);
        return;
      }
      pending = { email: email!, password: password! };
      byId('confirm-email').textContent = email!;
      go('confirm');
      setStatus('Account created. Enter the code we sent to your e-mail.');
    },
  );

  onSubmit('form-confirm', 'confirm', [['code', codeProblem]], async ({ code }) => {
    if (!pending) {
      go('sign-in');
      return;
    }
    await flows.confirmSignUp(pending.email, code!);
    const { email, password } = pending;
    pending = undefined;
    if (!password) {
      go('sign-in');
      setStatus('E-mail verified. Sign in to continue.');
      return;
    }
    await afterSignIn(email, await flows.signIn(email, password), true);
  });

  onSubmit('form-new-password', 'new-password', [['password', newPasswordProblem]], async ({ password }) => {
    if (!pending) {
      go('sign-in');
      return;
    }
    const { email } = pending;
    const next = await flows.completeNewPassword(email, password!);
    inputOf(byId<HTMLFormElement>('form-new-password'), 'password').value = '';
    await afterSignIn(email, next, true);
  });

  for (const [formId, complete] of [
    ['form-mfa-code', (email: string, code: string) => flows.completeMfaCode(email, code)],
    ['form-mfa-setup', (email: string, code: string) => flows.completeMfaSetup(email, code)],
  ] as const) {
    onSubmit(formId, 'mfa', [['code', mfaCodeProblem]], async ({ code }) => {
      if (!pending) {
        go('sign-in');
        return;
      }
      const next = await complete(pending.email, code!);
      inputOf(byId<HTMLFormElement>(formId), 'code').value = '';
      if (!('challenge' in next)) byId('mfa-setup-key').textContent = '';
      await afterSignIn(pending.email, next, false);
    });
  }

  byId('resend-code').addEventListener('click', () => {
    clearError();
    if (!pending) return;
    flows
      .resendCode(pending.email)
      .then(() => setStatus('A new code is on its way. Check your e-mail.'))
      .catch((error: unknown) => showError(friendlyCognitoError(error, 'resend')));
  });

  onSubmit('form-forgot', 'forgot', [['email', emailProblem]], async ({ email }) => {
    try {
      await flows.forgotPassword(email!);
    } catch (error) {
      // Same answer whether or not the account exists.
      if (!(error instanceof CognitoError && error.type === 'UserNotFoundException')) throw error;
    }
    pending = { email: email! };
    go('reset');
    setStatus('If an account exists for this e-mail, we sent it a code.');
  });

  onSubmit(
    'form-reset',
    'reset',
    [
      ['code', codeProblem],
      ['password', newPasswordProblem],
    ],
    async ({ code, password }) => {
      if (!pending) {
        go('forgot');
        return;
      }
      await flows.resetPassword(pending.email, code!, password!);
      inputOf(byId<HTMLFormElement>('form-sign-in'), 'email').value = pending.email;
      pending = undefined;
      inputOf(byId<HTMLFormElement>('form-reset'), 'password').value = '';
      go('sign-in');
      setStatus('Password changed. Sign in with your new password.');
    },
  );
}

async function start(): Promise<void> {
  let config: AuthUiRuntimeConfig;
  try {
    config = await loadConfig();
  } catch (e) {
    byId('config-error-detail').textContent = (e as Error).message;
    go('config-error');
    return;
  }
  showHostingNote(config);
  flows = new AuthFlows(config);
  wireForms();
  if (await finishWorkspaceSignOut()) return;
  if (await resumeSession()) return;
  go(location.hash === '#sign-up' ? 'sign-up' : 'sign-in');
}

// Forget any typed password when the page goes away.
window.addEventListener('pagehide', () => {
  for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="password"]'))) input.value = '';
});

void start();
