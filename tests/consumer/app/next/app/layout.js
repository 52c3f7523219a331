export default function RootLayout({ children }) {
  return <html lang="en"><body><div id="root" />{children}</body></html>;
}
