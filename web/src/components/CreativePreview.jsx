// A creative drawn at its format's aspect ratio: product photo, headline, body and call to action.
import { StoredImage } from './ui.jsx';

export function CreativePreview({ format, headline, body, ctaLabel, imageUrl, productName }) {
  const ratio = format.width / format.height;
  const shape = ratio > 2.5 ? 'banner' : ratio < 0.8 ? 'portrait' : ratio > 1.2 ? 'landscape' : 'square';
  return (
    <figure className={`creative-preview creative-${shape}`} style={{ aspectRatio: `${format.width} / ${format.height}` }}
      aria-label={`Preview: ${format.name} ${format.width}×${format.height}`}>
      <div className="creative-image"><StoredImage url={imageUrl} alt={productName ?? ''} /></div>
      <div className="creative-copy">
        <p className="creative-headline">{headline || 'Your headline'}</p>
        {body && shape !== 'banner' && <p className="creative-body">{body}</p>}
        <span className="creative-cta">{ctaLabel}</span>
      </div>
    </figure>
  );
}
