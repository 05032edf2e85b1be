/**
 * The web chat (`GET /`): one self-contained page, no framework, mobile-first, in Spanish.
 * It keeps a random user id in localStorage and talks to `POST /api/messages`. Options are
 * buttons ("1. …") placed where the reply listed them (the numbered lines are not repeated in
 * the text); a tap sends the option's label with its own action (`Reply.actions`), so a button of
 * an older reply does what it says. Phones (911, 800 911 2000) and addresses
 * (imssbienestar.gob.mx) become `tel:`/`https:` links, built with DOM nodes (never innerHTML).
 * Answers get 👍/👎 (`POST /api/feedback`). The form stays at the bottom of the screen, the
 * newest reply is scrolled to its top and focus returns to the text box. An institution can
 * embed it with an `<iframe src="…/">`.
 */
export const CHAT_PAGE = String.raw`<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<title>Orienta · servicios públicos de salud</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<style>
  :root { color-scheme: light dark; --accent: #0b5d4b; font-family: system-ui, sans-serif; }
  * { box-sizing: border-box; }
  body { margin: 0; display: flex; flex-direction: column; height: 100vh; height: 100dvh; background: Canvas; color: CanvasText; }
  header { flex: none; background: var(--accent); color: #fff; padding: .6rem 1rem; }
  header h1 { font-size: 1.15rem; margin: 0; }
  header p { margin: .2rem 0 0; font-size: .85rem; }
  header a { color: #fff; font-weight: bold; }
  main { flex: 1; min-height: 0; display: flex; flex-direction: column; }
  #conversation { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; padding: 1rem; scroll-padding: .75rem; }
  #log { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .6rem; }
  .msg { max-width: 88%; padding: .6rem .8rem; border-radius: .8rem; line-height: 1.4; overflow-wrap: anywhere; }
  .msg p { margin: 0; white-space: pre-wrap; }
  .msg p + p, .msg p + .options, .options + p { margin-top: .5rem; }
  .msg a { color: #064236; font-weight: 600; }
  .user { align-self: flex-end; background: #dff3ec; color: #111; white-space: pre-wrap; }
  .bot { align-self: flex-start; background: #f1f1f1; color: #111; }
  .emergency { background: #ffe3e0; border: 2px solid #b00020; }
  .options { display: flex; flex-direction: column; align-items: stretch; gap: .4rem; }
  .options button { text-align: left; }
  .feedback { display: flex; gap: .4rem; margin-top: .5rem; }
  button { font: inherit; min-height: 44px; border-radius: .5rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); padding: .35rem .7rem; cursor: pointer; }
  button:focus-visible, input:focus-visible, a:focus-visible, #conversation:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  .source { display: block; margin-top: .4rem; font-size: .8rem; color: #444; }
  .typing { margin: .6rem 0 0; padding: .6rem .8rem; border-radius: .8rem; background: #f1f1f1; color: #333; width: fit-content; font-style: italic; }
  .typing:empty { display: none; }
  form { flex: none; display: flex; gap: .5rem; padding: .75rem; border-top: 1px solid #ccc; background: Canvas; }
  input { flex: 1; min-width: 0; font: inherit; min-height: 44px; padding: 0 .6rem; border: 1px solid #888; border-radius: .5rem; }
  form button { background: var(--accent); color: #fff; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
</head>
<body>
<header>
  <h1>Orienta</h1>
  <p>Respuestas con fuente sobre IMSS-BIENESTAR, IMSS e ISSSTE. En una emergencia llama al <a href="tel:911">911</a>.</p>
</header>
<main>
  <div id="conversation" role="region" aria-label="Conversación" tabindex="0">
    <ol id="log" aria-live="polite"></ol>
    <p id="typing" class="typing" role="status"></p>
  </div>
  <form id="ask" autocomplete="off">
    <label for="text" class="sr-only">Escribe tu pregunta</label>
    <input id="text" name="text" maxlength="500" placeholder="Escribe tu pregunta o «menú»" required>
    <button type="submit">Enviar</button>
  </form>
</main>
<script>
(function () {
  var log = document.getElementById('log');
  var typing = document.getElementById('typing');
  var form = document.getElementById('ask');
  var input = document.getElementById('text');
  var user = localStorage.getItem('orienta-user');
  if (!user) {
    user = Array.from(crypto.getRandomValues(new Uint8Array(12)), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    localStorage.setItem('orienta-user', user);
  }

  // Web addresses (with or without https://), Mexican phone numbers written in groups
  // ("800 911 2000", "55 1234 5678") and 911 where it is said as a number to call.
  var LINKS = /(https?:\/\/[^\s<>"«»]+|\b[a-z](?:[a-z0-9-]*\.)+(?:gob\.mx|org\.mx|com\.mx|edu\.mx|org|com|net)(?![a-z0-9-])(?::\d+)?(?:\/[^\s<>"«»]*)?)|(\b\d{3} \d{3} \d{4}\b|\b\d{2} \d{4} \d{4}\b)|((?<=^|\b(?:al|el|del|de|llama|llamar|marca|marcar|o)\s)911\b(?![ -]?\d))/gi;
  function appendLinked(parent, text) {
    var at = 0;
    LINKS.lastIndex = 0;
    for (var m = LINKS.exec(text); m; m = LINKS.exec(text)) {
      var found = m[0];
      // (a sentence's full stop or closing bracket is not part of the address)
      if (m[1]) found = found.replace(/[.,;:!?)\]]+$/, '');
      if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      var a = document.createElement('a');
      if (m[1]) {
        a.href = /^https?:/i.test(found) ? found : 'https://' + found;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      } else {
        a.href = 'tel:' + found.replace(/\D/g, '');
      }
      a.textContent = found;
      parent.appendChild(a);
      at = m.index + found.length;
      LINKS.lastIndex = at;
    }
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }
  function paragraph(parent, text) {
    text = text.replace(/^\n+|\n+$/g, '');
    if (!text) return;
    var p = document.createElement('p');
    appendLinked(p, text);
    parent.appendChild(p);
  }
  /** The reply's numbered lines of its options ("1. label…"), to show them as buttons instead. */
  function splitOptions(body, labels) {
    var lines = body.split('\n');
    for (var s = 0; s + labels.length <= lines.length; s++) {
      var all = labels.every(function (label, i) {
        var start = (i + 1) + '. ' + label;
        var line = lines[s + i];
        return line === start || line.startsWith(start + ' ');
      });
      if (all) return { before: lines.slice(0, s).join('\n'), items: lines.slice(s, s + labels.length), after: lines.slice(s + labels.length).join('\n') };
    }
    return { before: body, items: labels.map(function (label, i) { return (i + 1) + '. ' + label; }), after: '' };
  }
  function bubble(cls) {
    var li = document.createElement('li');
    li.className = 'msg ' + cls;
    log.appendChild(li);
    return li;
  }
  function focusInput() {
    input.focus({ preventScroll: true });
  }
  function feedback(li, entryId) {
    var row = document.createElement('div');
    row.className = 'feedback';
    [['👍', true, 'Me sirvió'], ['👎', false, 'No me sirvió']].forEach(function (f) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = f[0];
      b.setAttribute('aria-label', f[2]);
      b.addEventListener('click', function () {
        row.textContent = 'Gracias por tu opinión.';
        focusInput();
        fetch('api/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: user, entryId: entryId, useful: f[1] }) });
      });
      row.appendChild(b);
    });
    li.appendChild(row);
  }
  function show(reply) {
    var li = bubble('bot' + (reply.kind === 'emergency' ? ' emergency' : ''));
    // (an emergency is announced at once; the alert sits inside the list item, never on it)
    var box = li;
    if (reply.kind === 'emergency') {
      box = document.createElement('div');
      box.setAttribute('role', 'alert');
      li.appendChild(box);
    }
    var body = reply.footer && reply.text.endsWith(reply.footer) ? reply.text.slice(0, -reply.footer.length).trimEnd() : reply.text;
    var labels = reply.options || [];
    if (labels.length) {
      var parts = splitOptions(body, labels);
      paragraph(box, parts.before);
      var row = document.createElement('div');
      row.className = 'options';
      row.setAttribute('role', 'group');
      row.setAttribute('aria-label', 'Opciones');
      labels.forEach(function (label, i) {
        var action = reply.actions && reply.actions[i];
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = parts.items[i];
        b.addEventListener('click', function () {
          focusInput();
          // The option's own action: what this button offered, whatever was asked since.
          if (action) send(label, label, action);
          else send(String(i + 1), label);
        });
        row.appendChild(b);
      });
      box.appendChild(row);
      paragraph(box, parts.after);
    } else {
      paragraph(box, body);
    }
    if (reply.footer) {
      var s = document.createElement('small');
      s.className = 'source';
      appendLinked(s, reply.footer);
      box.appendChild(s);
    }
    if (reply.kind === 'answer' && reply.sources && reply.sources[0]) feedback(li, reply.sources[0].id);
    return li;
  }
  function post(text, action) {
    var message = { user: user, text: text };
    if (action) message.action = action;
    return fetch('api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) { return r.ok ? r.body : { kind: 'fallback', text: r.body.error || 'No pude responder. Intenta de nuevo.', options: [] }; })
      .catch(function () { return { kind: 'fallback', text: 'No hay conexión. Intenta de nuevo en un momento.', options: [] }; });
  }
  // One question at a time: the replies come in the order they were asked.
  var queue = Promise.resolve();
  function send(text, shown, action) {
    var mine = bubble('user');
    mine.textContent = shown || text;
    queue = queue.then(function () {
      typing.textContent = 'Orienta está escribiendo…';
      typing.scrollIntoView({ block: 'nearest' });
      return post(text, action).then(function (reply) {
        typing.textContent = '';
        // The newest reply from its first line, with the text box still on screen.
        show(reply).scrollIntoView({ block: 'start' });
        focusInput();
      });
    });
    mine.scrollIntoView({ block: 'nearest' });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });
  show({ kind: 'smalltalk', text: 'Hola, soy Orienta. Pregúntame sobre tu credencial, vacunas, requisitos o los hospitales nuevos. Escribe «menú» para ver los temas.', options: [] });
})();
</script>
</body>
</html>
`;
