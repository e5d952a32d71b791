// The phone page of a live workshop. Every input is kept on the phone (localStorage) and sent
// through an outbox: it is shown as saved only once the server said so, and an input the network
// lost is sent again on its own when the connection comes back. Text from people is only ever
// set with textContent.
'use strict';
(function () {
  var DATA = JSON.parse(document.getElementById('donnees').textContent);
  var BASE = location.pathname.replace(/\/participer\/?$/, '');
  var $ = function (id) { return document.getElementById(id); };
  var S = null;          // the session as the server describes it
  var code = '';
  var state = null;      // this phone's state for the session (saved in localStorage)
  var outbox = {};       // key -> operation waiting for the server's acknowledgement
  var flushing = false, retryTimer = null, retryDelay = 1500, offline = false;
  var pulseKey = '', pulseRunning = false, roomTimer = null, seq = 0, inFlight = [];
  var roomItems = [];    // the room's proposals as last shown

  // --- small helpers -------------------------------------------------------------------------
  var C = window.essaimCommun;
  var el = C.el, load = C.load, save = C.save, randomId = C.randomId, fr = C.fr, plural = C.plural;
  function api(path) { return BASE + '/api/seances/' + encodeURIComponent(code) + (path || ''); }
  function setStatus(id, text, kind) { var n = $(id); if (n) { n.textContent = text || ''; n.className = 'etat' + (kind ? ' ' + kind : ''); } }
  function persist() { save('s:' + code, state); save('o:' + code, outbox); }

  // --- network: the outbox ---------------------------------------------------------------------
  // A request the network swallowed must not hang: it is abandoned after `seconds` and counts
  // as lost (the outbox sends it again; every write is idempotent).
  function timedFetch(url, options, seconds) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, seconds * 1000);
    options.signal = controller.signal;
    inFlight.push(controller);
    return fetch(url, options).then(function (r) { clearTimeout(timer); drop(controller); return r; },
      function (e) { clearTimeout(timer); drop(controller); throw e; });
  }
  function drop(controller) { inFlight = inFlight.filter(function (c) { return c !== controller; }); }
  function send(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (state && state.token) headers['X-Essaim-Participant'] = state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return timedFetch(api(path), { method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) }, 20)
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { status: response.status, ok: response.ok, data: data };
        });
      });
  }
  function enqueue(key, op) {
    op.seq = ++seq + '-' + Date.now();
    outbox[key] = op; persist(); showPending(key, op); flush();
  }
  function setOffline(isOffline) {
    offline = isOffline;
    $('reseau').hidden = !isOffline;
    Object.keys(outbox).forEach(function (k) { showPending(k, outbox[k]); });
  }
  function scheduleRetry(seconds) {
    clearTimeout(retryTimer);
    var delay = seconds ? seconds * 1000 : retryDelay;
    retryDelay = Math.min(retryDelay * 2, 10000);
    retryTimer = setTimeout(flush, delay);
  }
  function flush() {
    if (flushing) return;
    var keys = Object.keys(outbox);
    if (!keys.length) return;
    // The join goes first: everything else needs the participant.
    var key = outbox.rejoindre ? 'rejoindre' : keys[0];
    var op = outbox[key];
    flushing = true;
    send(op.method, op.path, op.body).then(function (res) {
      flushing = false;
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) {
        setOffline(false); retryDelay = 1500;
        if (outbox[key] && outbox[key].seq === op.seq) delete outbox[key];
        persist();
        if (res.ok) acknowledged(key, op, res.data); else refused(key, op, res);
        flush();
      } else if (res.status === 429) {
        showPending(key, op, res.data.erreur);
        scheduleRetry(res.data.attente || 2);
      } else {
        setOffline(true); scheduleRetry();
      }
    }, function () {
      flushing = false; setOffline(true); scheduleRetry();
    });
  }
  // Back online: abandon what the dead connection still waits for, and start again at once.
  window.addEventListener('online', function () {
    inFlight.slice().forEach(function (c) { c.abort(); });
    retryDelay = 1500; clearTimeout(retryTimer); setTimeout(flush, 100);
  });
  window.addEventListener('offline', function () { setOffline(true); });

  function sectionOf(key) {
    if (key === 'points') return 'etat-points';
    if (key.indexOf('note:') === 0) return 'etat-notes';
    if (key.indexOf('vote:') === 0) return 'etat-salle';
    if (key === 'profil' || key === 'rejoindre') return 'etat-profil';
    return 'etat-propositions';
  }
  function showPending(key, op, message) {
    var text = message || (offline ? 'Pas de réseau : ' + op.label + ' partira dès son retour.'
      : 'Envoi en cours…');
    setStatus(sectionOf(key), text, 'attente');
    if (key.indexOf('prop:') === 0) renderMine();
  }

  function acknowledged(key, op, data) {
    if (key === 'rejoindre') {
      state.joined = true; persist(); setStatus('etat-profil', ''); fetchMine(); startPulse();
      window.essaimRejoint = performance.now();  // measured by bench.bench_room
    }
    else if (key === 'profil') { setStatus('etat-profil', 'Profil enregistré ✓', 'ok'); }
    else if (key === 'points') { state.pointsSaved = op.body.points; persist(); renderPoints(); }
    else if (key.indexOf('note:') === 0) {
      var cid = key.slice(5), value = op.body.notes[cid];
      if (value === null) delete state.ratingsSaved[cid]; else state.ratingsSaved[cid] = value;
      persist(); renderRatings();
      setStatus('etat-notes', value === null ? 'Note retirée ✓' : 'Note enregistrée ✓', 'ok');
    } else if (key.indexOf('prop:') === 0) {
      var id = key.slice(5), mine = findMine(id);
      if (op.method === 'DELETE') { state.mine = state.mine.filter(function (p) { return p.id !== id; }); }
      else if (mine) { mine.moderation = data.moderation; mine.sent = true; }
      persist(); renderMine(); loadRoom();
      var read = data && data.valeur_lue ? ' (objectif lu : ' + data.valeur_lue + ')' : '';
      setStatus('etat-propositions', op.method === 'DELETE' ? 'Proposition supprimée ✓'
        : (data.moderation === 'pending' ? 'Enregistrée ✓' + read + ' — elle sera projetée après validation par l’animation.'
          : 'Proposition enregistrée ✓' + read), 'ok');
    } else if (key.indexOf('vote:') === 0) {
      // My count is right at once: the list shown moves by my vote, then the room's list
      // (read after the vote) replaces it.
      var pid = key.slice(5), on = op.method === 'PUT', counted = !!state.votes[pid];
      roomItems.forEach(function (p) { if (p.id === pid && on !== counted) p.votes += on ? 1 : -1; });
      if (on) state.votes[pid] = true; else delete state.votes[pid];
      persist(); renderRoom(roomItems);
      setStatus('etat-salle', on ? 'Soutien enregistré ✓' : 'Soutien retiré ✓', 'ok');
      loadRoom();
    }
  }
  function refused(key, op, res) {
    var message = (res.data && res.data.erreur) || 'Refusé par le serveur.';
    if (res.status === 409) { setClosed(true); pulseKey = ''; }  // resynchronised by the next poll
    if (key === 'rejoindre') {
      if (res.status === 404) { forget(); showJoin(message); return; }
      setStatus('etat-profil', message, 'erreur'); return;
    }
    if (res.status === 404 && /Participation introuvable/.test(message)) { forget(); showJoin(message); return; }
    if (key === 'points') { state.points = Object.assign({}, state.pointsSaved || {}); persist(); renderPoints(); }
    if (key.indexOf('note:') === 0) { state.ratings = Object.assign({}, state.ratingsSaved); persist(); renderRatings(); }
    if (key.indexOf('prop:') === 0) {
      var mine = findMine(key.slice(5));
      if (mine && !mine.sent) { state.mine = state.mine.filter(function (p) { return p !== mine; }); restoreDraft(mine); }
      persist(); renderMine();
    }
    if (key.indexOf('vote:') === 0) loadRoom();
    setStatus(sectionOf(key), message, 'erreur');
  }

  // --- joining ---------------------------------------------------------------------------------
  function forget() { state.token = null; state.joined = false; persist(); }
  function showJoin(message) {
    $('rejoindre').hidden = false; $('seance').hidden = true;
    $('erreur-code').textContent = message || '';
    if (code) $('champ-code').value = code;
  }
  function joinTyped(event) {
    event.preventDefault();
    var typed = $('champ-code').value.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (!typed) { $('erreur-code').textContent = 'Tapez le code affiché à l’écran.'; return; }
    // Seven characters: a national day's code (a session's has six).
    if (typed.length === 7) { location.href = BASE + '/participer?journee=' + encodeURIComponent(typed); return; }
    $('bouton-rejoindre').disabled = true;
    $('erreur-code').textContent = 'Recherche de la séance…';
    code = typed;
    send('GET', '').then(function (res) {
      $('bouton-rejoindre').disabled = false;
      if (res.ok) {
        history.replaceState(null, '', BASE + '/participer?seance=' + encodeURIComponent(code));
        start(res.data);
      } else {
        $('erreur-code').textContent = res.data.erreur || 'Séance introuvable.';
      }
    }, function () {
      $('bouton-rejoindre').disabled = false;
      $('erreur-code').textContent = 'Pas de réseau : vérifiez votre connexion, puis réessayez.';
    });
  }

  function start(session) {
    S = session; code = S.code; pulseKey = S.cle || pulseKey;
    state = load('s:' + code) || {};
    state.points = state.points || {}; state.ratings = state.ratings || {};
    state.ratingsSaved = state.ratingsSaved || {}; state.mine = state.mine || []; state.votes = state.votes || {};
    state.draft = state.draft || {};
    outbox = load('o:' + code) || {};
    if (!state.token) {
      state.token = randomId();
      outbox.rejoindre = { method: 'POST', path: '/participants', body: { jeton: state.token }, label: 'votre arrivée', seq: 'r' };
    }
    persist();
    $('rejoindre').hidden = true; $('seance').hidden = false;
    $('titre').textContent = S.title; $('code-seance').textContent = 'code ' + S.code;
    var day = new URLSearchParams(location.search).get('journee');
    if (day) {  // entered from a national day's programme: the way back to it
      $('retour-journee').hidden = false;
      $('retour-journee').setAttribute('href', BASE + '/participer?journee=' + encodeURIComponent(day));
    }
    buildAll();
    setClosed(!S.open);
    if (state.joined) { fetchMine(); startPulse(); }
    flush();
    ready();
  }
  function ready() {
    document.documentElement.setAttribute('data-pret', '1');
    window.essaimPret = performance.now();  // time to interactive, measured by bench.bench_room
  }
  function fetchMine() {
    send('GET', '/moi').then(function (res) {
      if (!res.ok) { if (res.status === 404) { forget(); showJoin(res.data.erreur); } return; }
      var mine = res.data;
      state.profile = { pseudonyme: mine.pseudonym, role: mine.role };
      state.pointsSaved = mine.weights;
      if (!outbox.points && mine.weights) state.points = Object.assign({}, mine.weights);
      state.ratingsSaved = mine.ratings || {};
      Object.keys(state.ratingsSaved).forEach(function (k) { if (!outbox['note:' + k]) state.ratings[k] = state.ratingsSaved[k]; });
      Object.keys(state.ratings).forEach(function (k) { if (!(k in state.ratingsSaved) && !outbox['note:' + k]) delete state.ratings[k]; });
      var pending = state.mine.filter(function (p) { return outbox['prop:' + p.id]; });
      state.mine = mine.proposals.map(function (p) { p.sent = true; return p; })
        .filter(function (p) { return !outbox['prop:' + p.id]; }).concat(pending);
      state.votes = {}; mine.votes.forEach(function (id) { state.votes[id] = true; });
      persist(); renderPoints(); renderRatings(); renderMine(); renderProfile();
    }, function () { setOffline(true); });
  }

  // --- the session's pulse: close, reopen, new grid, without a tap ----------------------------
  function startPulse() {
    if (pulseRunning) return;
    pulseRunning = true;
    (function poll() {
      // While the connection is lost, ask with no key: the server answers at once, and the
      // notice goes as soon as the server is back (not at the end of a 25-second wait).
      var key = offline ? '' : pulseKey;
      timedFetch(api('/pouls?cle=' + encodeURIComponent(key)), { credentials: 'same-origin' }, 35)
        .then(function (response) { return response.json().then(function (d) { return { ok: response.ok, status: response.status, data: d }; }); })
        .then(function (res) {
          if (!res.ok) { setTimeout(poll, res.status === 404 ? 30000 : res.status === 429 ? 3000 : 1000); return; }
          if (offline) { setOffline(false); flush(); }
          var before = pulseKey; pulseKey = res.data.cle;
          setClosed(!res.data.ouverte);
          if (before !== pulseKey) {  // a new grid or moderation rule: reload the session
            send('GET', '').then(function (r) { if (r.ok) { S = r.data; buildAll(); setClosed(!S.open); } },
              function () { setOffline(true); });
          }
          setTimeout(poll, 250);
        }, function (error) {
          // Abandoned on purpose (back online, or a silent connection): ask again at once.
          if (error && error.name === 'AbortError' && navigator.onLine) { setTimeout(poll, 250); return; }
          setOffline(true); setTimeout(poll, 1000);
        });
    })();
  }
  function setClosed(closed) {
    if (S) S.open = !closed;
    $('close').hidden = !closed;
    document.querySelectorAll('#seance button, #seance input, #seance select, #seance textarea')
      .forEach(function (n) { if (!n.classList.contains('toujours')) n.disabled = closed || n.hasAttribute('data-bloque'); });
    if (!closed) { renderPoints(); renderRatings(); }
  }

  // --- 1. the 100 points -----------------------------------------------------------------------
  function total() { return S.dimensions.reduce(function (t, d) { return t + (state.points[d.id] || 0); }, 0); }
  function setPoints(id, value) {
    var others = total() - (state.points[id] || 0);
    // The total is enforced as you go: a share can take at most what is left.
    state.points[id] = Math.max(0, Math.min(Math.round(value), 100 - others));
    persist(); renderPoints();
  }
  function buildPoints() {
    var list = $('dimensions'); list.textContent = '';
    S.dimensions.forEach(function (d) {
      var id = 'p-' + d.id;
      var range = el('input', { type: 'range', id: id, min: 0, max: 100, step: 1, 'aria-describedby': 'restants',
        on: { input: function (e) { setPoints(d.id, +e.target.value); } } });
      list.appendChild(el('li', { 'class': 'dimension' },
        el('label', { 'for': id, text: d.label }),
        el('div', { 'class': 'reglage' },
          el('button', { type: 'button', 'aria-label': 'Retirer 5 points à « ' + d.label + ' »', text: '−',
            on: { click: function () { setPoints(d.id, (state.points[d.id] || 0) - 5); } } }),
          range,
          el('output', { 'for': id, id: 'v-' + d.id, 'aria-live': 'off' }),
          el('button', { type: 'button', 'aria-label': 'Ajouter 5 points à « ' + d.label + ' »', text: '+',
            'data-plus': d.id, on: { click: function () { setPoints(d.id, (state.points[d.id] || 0) + 5); } } }))));
    });
  }
  function samePoints(a, b) {
    if (!a || !b) return false;
    return S.dimensions.every(function (d) { return (a[d.id] || 0) === (b[d.id] || 0); });
  }
  function renderPoints() {
    if (!S) return;
    var sum = total(), left = 100 - sum, open = S.open;
    S.dimensions.forEach(function (d) {
      var v = state.points[d.id] || 0, range = $('p-' + d.id);
      range.value = v; range.setAttribute('aria-valuetext', plural(v, 'point', 'points'));
      $('v-' + d.id).textContent = v;
      document.querySelector('[data-plus="' + d.id + '"]').disabled = !open || left <= 0;
    });
    var counter = $('restants');
    counter.textContent = left === 0 ? 'Les 100 points sont répartis' : 'Points restants\u00a0: ' + left;
    counter.className = 'restants' + (left === 0 ? ' zero' : '');
    var saved = samePoints(state.points, state.pointsSaved);
    $('envoyer-points').disabled = !open || left !== 0 || saved || !!outbox.points;
    if (outbox.points) showPending('points', outbox.points);
    else if (saved) setStatus('etat-points', 'Répartition enregistrée ✓', 'ok');
    else if (left !== 0) setStatus('etat-points', 'Répartissez les 100 points pour pouvoir envoyer.');
    else setStatus('etat-points', 'Prête à envoyer.');
  }
  function sendPoints() {
    if (total() !== 100) { setStatus('etat-points', 'Il faut exactement 100 points.', 'erreur'); return; }
    var points = {}; S.dimensions.forEach(function (d) { points[d.id] = state.points[d.id] || 0; });
    enqueue('points', { method: 'PUT', path: '/repartition', body: { points: points }, label: 'votre répartition' });
    renderPoints();
  }

  // --- 2. ratings --------------------------------------------------------------------------------
  function buildRatings() {
    var box = $('criteres'); box.textContent = '';
    S.dimensions.forEach(function (d) {
      box.appendChild(el('h3', { text: d.label }));
      d.criteria.forEach(function (c) {
        var row = el('div', { 'class': 'notes', role: 'group', 'aria-label': 'Pertinence de « ' + c.label + ' »' });
        [1, 2, 3, 4, 5].forEach(function (n) {
          row.appendChild(el('button', { type: 'button', 'data-note': c.id + ':' + n, text: String(n),
            'aria-label': n + ' sur 5', on: { click: function () { rate(c.id, n); } } }));
        });
        row.appendChild(el('button', { type: 'button', 'class': 'retirer', 'data-retirer': c.id, text: 'Retirer',
          'aria-label': 'Retirer ma note de « ' + c.label + ' »', on: { click: function () { rate(c.id, null); } } }));
        box.appendChild(el('div', { 'class': 'critere' }, el('div', { 'class': 'nom', text: c.label }), row));
      });
    });
  }
  function rate(cid, value) {
    if (value !== null && state.ratings[cid] === value) value = null;  // a second tap withdraws
    if (value === null) delete state.ratings[cid]; else state.ratings[cid] = value;
    var notes = {}; notes[cid] = value;
    enqueue('note:' + cid, { method: 'PUT', path: '/notes', body: { notes: notes },
      label: value === null ? 'le retrait de votre note' : 'votre note' });
    renderRatings();
  }
  function renderRatings() {
    if (!S) return;
    document.querySelectorAll('[data-note]').forEach(function (b) {
      var parts = b.getAttribute('data-note').split(':');
      b.setAttribute('aria-pressed', String(state.ratings[parts[0]] === +parts[1]));
    });
    document.querySelectorAll('[data-retirer]').forEach(function (b) {
      b.hidden = !(b.getAttribute('data-retirer') in state.ratings);
    });
  }

  // --- 3. proposals --------------------------------------------------------------------------------
  function findMine(id) { return state.mine.filter(function (p) { return p.id === id; })[0]; }
  function buildProposalForm() {
    var kinds = $('type'); kinds.textContent = '';
    Object.keys(S.proposal_kinds).forEach(function (k) { kinds.appendChild(el('option', { value: k, text: S.proposal_kinds[k] })); });
    var about = $('critere'); about.textContent = '';
    about.appendChild(el('option', { value: '', text: '— aucun en particulier —' }));
    S.dimensions.forEach(function (d) { d.criteria.forEach(function (c) { about.appendChild(el('option', { value: c.id, text: c.label })); }); });
    var roles = $('role'); roles.textContent = '';
    S.roles.forEach(function (r) { roles.appendChild(el('option', { value: r, text: r || 'Je préfère ne pas le dire' })); });
    $('pseudonyme').setAttribute('data-max', S.max_pseudonym);
    var draft = state.draft;
    kinds.value = draft.type || 'comment'; about.value = draft.critere || '';
    $('valeur').value = draft.valeur || ''; $('texte').value = draft.texte || '';
    renderDraft();
  }
  function keepDraft() {
    state.draft = { type: $('type').value, critere: $('critere').value, valeur: $('valeur').value,
      texte: $('texte').value, edition: state.draft.edition || null };
    persist(); renderDraft();
  }
  function renderDraft() {
    var length = $('texte').value.length, max = S.max_text, counter = $('compteur');
    counter.textContent = length + ' / ' + max + ' caractères';
    counter.className = 'compteur' + (length > max ? ' trop' : '');
    $('trop-long').textContent = length > max ? 'Texte trop long : ' + length + ' caractères pour ' + max + ' au plus. Raccourcissez-le pour l’envoyer.' : '';
    $('bloc-valeur').hidden = $('type').value !== 'target';
    $('envoyer-proposition').textContent = state.draft.edition ? 'Enregistrer la modification' : 'Envoyer';
    $('annuler-edition').hidden = !state.draft.edition;
  }
  function restoreDraft(p) {
    state.draft = { type: p.kind, critere: p.about, valeur: p.value === null || p.value === undefined ? '' : String(p.value).replace('.', ','), texte: p.text, edition: null };
    buildProposalForm();
  }
  function submitProposal(event) {
    event.preventDefault();
    keepDraft();
    var d = state.draft, text = d.texte.trim(), value = d.valeur.trim();
    if (text.length > S.max_text) { setStatus('etat-propositions', 'Texte trop long : ' + text.length + ' caractères pour ' + S.max_text + ' au plus.', 'erreur'); $('texte').focus(); return; }
    // The figure is read on the server, the French way (« 12,5 », « 1 500 », « 49,8 % »), which
    // says why it cannot be; here only what is clearly not a number waits for nothing.
    if (value && !/\d/.test(value)) { setStatus('etat-propositions', 'L’objectif chiffré doit être un nombre (ex. 45 ou 12,5).', 'erreur'); return; }
    if (!text && !(d.type === 'target' && value)) { setStatus('etat-propositions', 'Écrivez votre proposition avant de l’envoyer.', 'erreur'); return; }
    var id = d.edition || randomId();
    var p = findMine(id);
    if (!p) { p = { id: id }; state.mine.push(p); }
    p.kind = d.type; p.text = text; p.about = d.critere; p.value = d.type === 'target' && value ? value : null;
    enqueue('prop:' + id, { method: 'PUT', path: '/propositions/' + encodeURIComponent(id), label: 'votre proposition',
      body: { type: p.kind, texte: p.text, critere: p.about, valeur: p.value } });
    state.draft = { type: d.type, critere: '', valeur: '', texte: '', edition: null };
    persist(); buildProposalForm(); renderMine();
  }
  function renderMine() {
    if (!S) return;
    var list = $('miennes'); list.textContent = '';
    $('titre-miennes').hidden = !state.mine.length;
    state.mine.slice().reverse().forEach(function (p) {
      var pending = outbox['prop:' + p.id];
      var status = pending ? (offline ? 'pas encore envoyée (pas de réseau)' : 'envoi en cours…')
        : p.moderation === 'pending' ? 'en attente de validation par l’animation'
        : p.moderation === 'hidden' ? 'masquée par l’animation' : 'enregistrée';
      var confirmDelete = el('button', { type: 'button', hidden: true, text: 'Confirmer la suppression',
        on: { click: function () { enqueue('prop:' + p.id, { method: 'DELETE', path: '/propositions/' + encodeURIComponent(p.id), label: 'la suppression' }); } } });
      list.appendChild(el('li', { 'class': 'carte' },
        el('div', { 'class': 'genre', text: S.proposal_kinds[p.kind] || '' }),
        el('p', { 'class': 'texte', text: p.text + (p.value !== null && p.value !== undefined && p.value !== '' ? ' — objectif : ' + String(p.value).replace('.', ',') : '') }),
        el('p', { 'class': 'statut', text: status }),
        el('div', { 'class': 'actions' },
          el('button', { type: 'button', text: 'Modifier', on: { click: function () {
            restoreDraft(p); state.draft.edition = p.id; persist(); renderDraft();
            $('texte').focus(); $('texte').scrollIntoView({ block: 'center' }); } } }),
          el('button', { type: 'button', text: 'Supprimer', on: { click: function (e) { e.target.hidden = true; confirmDelete.hidden = false; confirmDelete.focus(); } } }),
          confirmDelete)));
    });
    if (S && !S.open) setClosed(true);
  }

  // --- the room's proposals, with upvotes ----------------------------------------------------------
  function loadRoom() {
    clearTimeout(roomTimer);
    send('GET', '/propositions').then(function (res) { if (res.ok) renderRoom(res.data.proposals); },
      function () { /* the next refresh, or the network's return, asks again */ });
    roomTimer = setTimeout(loadRoom, 15000);
  }
  function renderRoom(items) {
    roomItems = items;
    var list = $('salle'); list.textContent = '';
    var others = items.filter(function (p) { return !findMine(p.id); });
    $('vide-salle').hidden = others.length > 0;
    others.forEach(function (p) {
      var mineVote = !!state.votes[p.id];
      var pending = outbox['vote:' + p.id];
      var voted = pending ? pending.method === 'PUT' : mineVote;
      var count = p.votes + (voted && !mineVote ? 1 : 0) - (!voted && mineVote ? 1 : 0);
      list.appendChild(el('li', { 'class': 'carte' },
        el('div', { 'class': 'genre', text: (S.proposal_kinds[p.kind] || '') + ' · ' + (p.pseudonym || 'Anonyme') }),
        el('p', { 'class': 'texte', text: p.text + (p.value !== null ? ' — objectif : ' + fr(p.value) : '') }),
        // The visible text is the accessible name; aria-pressed says whether I support it.
        el('button', { type: 'button', 'aria-pressed': String(voted),
          text: '▲ Je soutiens (' + plural(count, 'soutien', 'soutiens') + ')',
          on: { click: function () {
            var on = !voted;  // state.votes changes when the server acknowledges it
            enqueue('vote:' + p.id, { method: on ? 'PUT' : 'DELETE', path: '/propositions/' + encodeURIComponent(p.id) + '/soutien', label: 'votre soutien' });
            renderRoom(items);
          } } })));
    });
    if (S && !S.open) setClosed(true);
  }

  // --- profile ---------------------------------------------------------------------------------------
  function renderProfile() {
    var p = state.profile || {};
    $('qui').textContent = 'Vous\u00a0: ' + (p.pseudonyme || 'anonyme') + (p.role ? ' (' + p.role + ')' : '');
    $('pseudonyme').value = p.pseudonyme || ''; $('role').value = p.role || '';
  }
  function submitProfile(event) {
    event.preventDefault();
    var name = $('pseudonyme').value.trim(), max = S.max_pseudonym;
    if (name.length > max) { setStatus('etat-profil', 'Pseudonyme trop long : ' + name.length + ' caractères pour ' + max + ' au plus.', 'erreur'); return; }
    state.profile = { pseudonyme: name, role: $('role').value };
    enqueue('profil', { method: 'PATCH', path: '/moi', body: state.profile, label: 'votre profil' });
    renderProfile(); $('profil').open = false;
  }

  function buildAll() {
    buildPoints(); buildRatings(); buildProposalForm();
    renderPoints(); renderRatings(); renderMine(); renderProfile();
  }

  // --- wiring ------------------------------------------------------------------------------------------
  $('form-rejoindre').addEventListener('submit', joinTyped);
  $('envoyer-points').addEventListener('click', sendPoints);
  $('form-proposition').addEventListener('submit', submitProposal);
  $('form-proposition').addEventListener('input', keepDraft);
  $('annuler-edition').addEventListener('click', function () { state.draft = { type: 'comment', critere: '', valeur: '', texte: '', edition: null }; persist(); buildProposalForm(); });
  $('form-profil').addEventListener('submit', submitProfile);
  $('recharger-salle').addEventListener('click', loadRoom);
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(function (entries) { if (entries[0].isIntersecting && S) loadRoom(); }).observe($('bloc-salle'));
  }
  if (DATA.session) start(DATA.session);
  else if (!DATA.journee) { code = DATA.code || ''; showJoin(DATA.erreur); ready(); }
})();
