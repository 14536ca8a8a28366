// Runs in <head>, before the first paint: decides the page's language (the saved choice, else
// the browser's), so a Japanese browser never sees the English of the HTML. Until main.js has
// put the texts in place, a page that is not in English stays unpainted (style.css).
(() => {
  let lang = null;
  try {
    lang = localStorage.getItem("bounce-doctor.lang");
  } catch {
    // Storage can be blocked; the browser's language decides then.
  }
  if (lang !== "ja" && lang !== "en") {
    lang = (navigator.languages ?? [navigator.language]).some((tag) => /^ja\b/i.test(tag)) ? "ja" : "en";
  }
  const root = document.documentElement;
  root.lang = lang;
  if (lang !== "en") {
    root.dataset.texts = "pending";
    // Should the page's module never run (a very old browser), show the English page anyway.
    setTimeout(() => delete root.dataset.texts, 3000);
  }
})();
