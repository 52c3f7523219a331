// Small building blocks shared by the screens.
import { useId } from 'react';
import { useImageSrc } from '../lib/images.js';

/** A labelled form control; the label is tied to the input for screen readers and getByLabel. */
export function Field({ label, hint, children, className = '' }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const control = typeof children === 'function' ? children({ id, 'aria-describedby': hintId }) : children;
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && <small id={hintId} className="muted">{hint}</small>}
    </div>
  );
}

export function StatusBadge({ status }) {
  return <span className={`badge badge-${String(status ?? 'unknown').toLowerCase()}`}>{status ?? 'unknown'}</span>;
}

export function Loading({ label = 'Loading…' }) {
  return <p className="muted loading" role="status">{label}</p>;
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return <p className="error-note" role="alert">{error.code ? `${error.code}: ` : ''}{error.message ?? String(error)}</p>;
}

export function Empty({ title, children }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** An image stored in the database (data:/https: URL, or a blob reference). */
export function StoredImage({ url, alt, className = '', placeholder = '' }) {
  const src = useImageSrc(url);
  if (!src) {
    return (
      <div className={`thumb thumb-missing ${className}`} role="img" aria-label={alt || 'no image'}>
        <span aria-hidden="true">{placeholder.trim().slice(0, 1).toUpperCase()}</span>
      </div>
    );
  }
  return <img className={`thumb ${className}`} src={src} alt={alt ?? ''} loading="lazy" decoding="async" />;
}

export function PageHeader({ title, children, back }) {
  return (
    <div className="page-header">
      <div>
        {back && <a className="back-link" href={back.href}>← {back.label}</a>}
        <h1>{title}</h1>
      </div>
      <div className="page-actions">{children}</div>
    </div>
  );
}

export function Stat({ label, value, testId }) {
  return (
    <div className="stat" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
