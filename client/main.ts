// The browser entry point: registers the custom elements (<ap-app> in index.html boots the
// room) and the service worker that lets a room page reload while offline.
import './components/ap-app.ts';

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    // Without it the app still works online; only an offline reload is lost.
    console.warn('Apparatus: the offline shell is unavailable.', error);
  });
}
