import { Component } from 'react';

/** Catches a screen's render errors and says so, instead of a blank page. */
export class ErrorBoundary extends Component {
  state = { error: null };

  static getDerivedStateFromError(error) {
    return { error };
  }

  componentDidCatch(error, info) {
    console.error('Campaign Builder: a screen failed to render', error, info?.componentStack);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel error-boundary" role="alert" data-testid="error-boundary">
        <h2>Something went wrong on this screen</h2>
        <p className="muted">{error.code ? `${error.code}: ` : ''}{error.message}</p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>Try again</button>
      </section>
    );
  }
}
