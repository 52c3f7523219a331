// Shown by the store's provider while it switches databases (sign-in, sign-out,
// another user), and when a switch failed: the way out is always offered.
import { useAccount } from 'campaign-store/react';
import { useDemo } from '../lib/demo.js';

export function SwitchingAccount() {
  const account = useAccount();
  const { supabase } = useDemo();
  const who = account.user?.email ?? (account.user ? 'your account' : 'signed out');
  if (account.phase !== 'error') {
    return <div className="splash" role="status"><span className="logo" aria-hidden="true">◆</span> Opening the database ({who})…</div>;
  }
  return (
    <div className="splash splash-error" role="alert">
      <h1>The database could not be opened</h1>
      <p>{account.error?.code ? `${account.error.code}: ` : ''}{account.error?.message ?? String(account.error)}</p>
      <div className="row">
        <button type="button" className="button primary" onClick={() => account.switchUser(account.user).catch(() => {})}>Try again</button>
        {account.user && supabase && (
          <button type="button" className="button" onClick={() => supabase.auth.signOut()}>Sign out</button>
        )}
      </div>
    </div>
  );
}
