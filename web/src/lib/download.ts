// Lets the browser fetch a signed download link (/api/files/<token>). The answer is an attachment,
// so the page stays where it is; the session cookie goes along (same origin).
export function followDownloadLink(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
