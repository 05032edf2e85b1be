/**
 * The web chat (`GET /`): one self-contained page, no framework, mobile-first, in Spanish.
 * It keeps a random user id in localStorage and talks to `POST /api/messages`; options are
 * buttons (a tap sends the option's number, as typing it would), answers get 👍/👎
 * (`POST /api/feedback`). An institution can embed it with an `<iframe src="…/">`.
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orienta · servicios públicos de salud</title>
<style>
  :root { color-scheme: light dark; --accent: #0b5d4b; font-family: system-ui, sans-serif; }
  body { margin: 0; display: flex; flex-direction: column; min-height: 100vh; background: Canvas; color: CanvasText; }
  header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
  header h1 { font-size: 1.15rem; margin: 0; }
  header p { margin: .2rem 0 0; font-size: .85rem; }
  main { flex: 1; overflow-y: auto; padding: 1rem; }
  #log { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .6rem; }
  .msg { max-width: 85%; padding: .6rem .8rem; border-radius: .8rem; white-space: pre-wrap; line-height: 1.4; }
  .user { align-self: flex-end; background: #dff3ec; color: #111; }
  .bot { align-self: flex-start; background: #f1f1f1; color: #111; }
  .emergency { background: #ffe3e0; border: 2px solid #b00020; }
  .options { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .5rem; }
  button { font: inherit; min-height: 44px; border-radius: .5rem; border: 1px solid var(--accent); background: #fff; color: var(--accent); padding: .35rem .7rem; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  .source { display: block; margin-top: .4rem; font-size: .8rem; color: #444; }
  form { display: flex; gap: .5rem; padding: .75rem; border-top: 1px solid #ccc; }
  input { flex: 1; font: inherit; min-height: 44px; padding: 0 .6rem; border: 1px solid #888; border-radius: .5rem; }
  form button { background: var(--accent); color: #fff; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>
</head>
<body>
<header>
  <h1>Orienta</h1>
  <p>Respuestas con fuente sobre IMSS-BIENESTAR, IMSS e ISSSTE. En una emergencia llama al 911.</p>
</header>
<main>
  <ol id="log" aria-live="polite" aria-label="Conversación"></ol>
</main>
<form id="ask" autocomplete="off">
  <label for="text" class="sr-only">Escribe tu pregunta</label>
  <input id="text" name="text" maxlength="500" placeholder="Escribe tu pregunta o «menú»" required>
  <button type="submit">Enviar</button>
</form>
<script>
(function () {
  var log = document.getElementById('log');
  var form = document.getElementById('ask');
  var input = document.getElementById('text');
  var user = localStorage.getItem('orienta-user');
  if (!user) {
    user = Array.from(crypto.getRandomValues(new Uint8Array(12)), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    localStorage.setItem('orienta-user', user);
  }
  function add(cls, text) {
    var li = document.createElement('li');
    li.className = 'msg ' + cls;
    li.textContent = text;
    log.appendChild(li);
    li.scrollIntoView({ block: 'end' });
    return li;
  }
  function feedback(li, entryId) {
    var row = document.createElement('div');
    row.className = 'options';
    [['👍', true, 'Me sirvió'], ['👎', false, 'No me sirvió']].forEach(function (f) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = f[0];
      b.setAttribute('aria-label', f[2]);
      b.addEventListener('click', function () {
        row.textContent = 'Gracias por tu opinión.';
        fetch('api/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: user, entryId: entryId, useful: f[1] }) });
      });
      row.appendChild(b);
    });
    li.appendChild(row);
  }
  function show(reply) {
    var body = reply.footer && reply.text.endsWith(reply.footer) ? reply.text.slice(0, -reply.footer.length).trimEnd() : reply.text;
    var li = add('bot' + (reply.kind === 'emergency' ? ' emergency' : ''), body);
    if (reply.kind === 'emergency') li.setAttribute('role', 'alert');
    if (reply.footer) {
      var s = document.createElement('small');
      s.className = 'source';
      s.textContent = reply.footer;
      li.appendChild(s);
    }
    if (reply.options && reply.options.length) {
      var row = document.createElement('div');
      row.className = 'options';
      row.setAttribute('role', 'group');
      row.setAttribute('aria-label', 'Opciones');
      reply.options.forEach(function (label, i) {
        var b = document.createElement('button');
        b.type = 'button';
        b.textContent = (i + 1) + '. ' + label;
        b.addEventListener('click', function () { row.remove(); send(String(i + 1), label); });
        row.appendChild(b);
      });
      li.appendChild(row);
    }
    if (reply.kind === 'answer' && reply.sources && reply.sources[0]) feedback(li, reply.sources[0].id);
  }
  function send(text, shown) {
    add('user', shown || text);
    return fetch('api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: user, text: text }) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) { show(r.ok ? r.body : { kind: 'fallback', text: r.body.error || 'No pude responder. Intenta de nuevo.', options: [] }); })
      .catch(function () { show({ kind: 'fallback', text: 'No hay conexión. Intenta de nuevo en un momento.', options: [] }); });
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
