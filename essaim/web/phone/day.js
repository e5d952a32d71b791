// The phone page of a national day: the person joins the day once (a token drawn here, kept on
// the phone), sees the comptoirs running now in each room and the whole programme, and enters a
// comptoir — the session page then takes over, with the same pseudonym and role. The programme
// is read again every 20 seconds (the organisers may move to the next slot).
'use strict';
(function () {
  var DATA = JSON.parse(document.getElementById('donnees').textContent);
  if (!DATA.journee) return;
  var C = window.essaimCommun, el = C.el;
  var BASE = location.pathname.replace(/\/participer\/?$/, '');
  var $ = function (id) { return document.getElementById(id); };
  var day = DATA.journee, code = day.code;
  var state = C.load('j:' + code) || {};

  function api(path) { return BASE + '/api/journees/' + encodeURIComponent(code) + (path || ''); }
  function status(text, kind) { var n = $('etat-journee'); n.textContent = text || ''; n.className = 'etat' + (kind ? ' ' + kind : ''); }
  function call(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (state.token) headers['X-Essaim-Jour'] = state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(api(path), { method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, status: r.status, data: d }; }); });
  }

  // Joining the day: once, sent again until the server has it (the token makes it harmless).
  function join(delay) {
    if (state.joined) return;
    if (!state.token) { state.token = C.randomId(); C.save('j:' + code, state); }
    call('POST', '/participants', { jeton: state.token, pseudonyme: (state.profile || {}).pseudonyme || '', role: (state.profile || {}).role || '' })
      .then(function (res) {
        if (res.ok) { state.joined = true; C.save('j:' + code, state); status(''); render(); return; }
        status(res.data.erreur || 'Arrivée refusée par le serveur.', 'erreur');
        if (res.status >= 500 || res.status === 429) setTimeout(function () { join(Math.min((delay || 1500) * 2, 10000)); }, res.data.attente ? res.data.attente * 1000 : delay || 1500);
      }, function () {
        status('Pas de réseau : votre arrivée partira dès son retour.', 'attente');
        setTimeout(function () { join(Math.min((delay || 1500) * 2, 10000)); }, delay || 1500);
      });
  }

  function enter(comptoir, button) {
    if (!state.joined) { status('Un instant : votre arrivée dans la journée n’est pas encore enregistrée.', 'attente'); join(); return; }
    button.disabled = true; status('Entrée dans le comptoir…', 'attente');
    call('POST', '/comptoirs/' + encodeURIComponent(comptoir.code) + '/entree').then(function (res) {
      button.disabled = false;
      if (!res.ok) { status(res.data.erreur || 'Entrée refusée.', 'erreur'); return; }
      // The session page finds the person already joined, with the day's profile.
      var session = C.load('s:' + res.data.seance) || {};
      session.token = res.data.jeton; session.joined = true; session.profile = state.profile || {};
      C.save('s:' + res.data.seance, session);
      location.href = BASE + '/participer?seance=' + encodeURIComponent(res.data.seance) + '&journee=' + encodeURIComponent(code);
    }, function () { button.disabled = false; status('Pas de réseau : réessayez dans un instant.', 'erreur'); });
  }

  function comptoirCard(comptoir, withButton) {
    var card = el('li', { 'class': 'carte' },
      el('div', { 'class': 'genre', text: comptoir.salle + (comptoir.ouvert ? '' : ' · clos') }),
      el('p', { 'class': 'texte', text: comptoir.titre }),
      el('p', { 'class': 'aide', text: comptoir.question }),
      comptoir.grand_temoin ? el('p', { 'class': 'aide', text: 'Grand témoin : ' + comptoir.grand_temoin }) : null);
    if (withButton) {
      var button = el('button', { type: 'button', 'class': 'principal', text: 'Entrer dans ce comptoir' });
      button.disabled = !comptoir.ouvert;
      button.addEventListener('click', function () { enter(comptoir, button); });
      card.appendChild(button);
    }
    return card;
  }

  function render() {
    $('titre-journee').textContent = day.titre; $('code-journee').textContent = 'code ' + day.code;
    $('quand-journee').textContent = day.date + (day.lieu ? ' · ' + day.lieu : '');
    var p = state.profile || {};
    $('qui-journee').textContent = 'Vous\u00a0: ' + (p.pseudonyme || 'anonyme') + (p.role ? ' (' + p.role + ')' : '');
    var now = $('maintenant'); now.textContent = '';
    var running = day.creneaux.filter(function (s) { return s.en_cours; })[0];
    $('titre-maintenant').textContent = running ? 'En ce moment : ' + running.texte : 'Aucun créneau en cours : choisissez dans le programme';
    (running ? running.comptoirs : []).forEach(function (c) { now.appendChild(comptoirCard(c, true)); });
    var programme = $('programme'); programme.textContent = '';
    day.creneaux.forEach(function (slot) {
      var list = el('ul', { 'class': 'liste' });
      slot.comptoirs.forEach(function (c) { list.appendChild(comptoirCard(c, !running)); });
      programme.appendChild(el('section', { 'aria-label': slot.texte }, el('h3', { text: slot.texte + (slot.en_cours ? ' — en cours' : '') }), list));
    });
  }

  function refresh() {
    fetch(api(''), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { day = data; render(); } }, function () { /* the next refresh tries again */ })
      .then(function () { setTimeout(refresh, 20000); });
  }

  function submitProfile(event) {
    event.preventDefault();
    var name = $('pseudonyme-journee').value.trim();
    if (name.length > 40) { status('Pseudonyme trop long : ' + name.length + ' caractères pour 40 au plus.', 'erreur'); return; }
    state.profile = { pseudonyme: name, role: $('role-journee').value };
    C.save('j:' + code, state);
    if (!state.joined) { join(); return; }
    call('PATCH', '/moi', state.profile).then(function (res) {
      status(res.ok ? 'Profil enregistré ✓' : (res.data.erreur || 'Profil refusé.'), res.ok ? 'ok' : 'erreur');
      if (res.ok) { render(); $('profil-journee').open = false; }
    }, function () { status('Pas de réseau : réessayez dans un instant.', 'erreur'); });
  }

  DATA.roles.forEach(function (r) { $('role-journee').appendChild(el('option', { value: r, text: r || 'Je préfère ne pas le dire' })); });
  $('pseudonyme-journee').value = (state.profile || {}).pseudonyme || '';
  $('role-journee').value = (state.profile || {}).role || '';
  $('form-profil-journee').addEventListener('submit', submitProfile);
  $('journee').hidden = false;
  render(); join(); setTimeout(refresh, 20000);
  document.documentElement.setAttribute('data-pret', '1');
})();
