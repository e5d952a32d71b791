// A projected screen's link to its session: a long poll of /api/seances/{code}/ecran that
// answers when anything of the session moved; then one trigger, and Streamlit redraws the
// fragment holding this component. However fast the room taps, at most one redraw every
// data.gap_ms; when nothing moves, one request held open every 25 s and nothing else.
// Streamlit calls this function again at every redraw: one watcher per fragment keeps running
// and only learns the version the screen now shows.
// A trigger that brought no redraw is sent again after UNANSWERED_MS; still none after
// RELOAD_AFTER_MS, the page reloads: after a server restart, Streamlit reconnects without
// running the page again, and the new server does not know this fragment.
const UNANSWERED_MS = 3000;
const RELOAD_AFTER_MS = 9000;
const watchers = new Map();

const pause = (ms) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

function start(url, gap, offset) {
  const state = { url, shown: -1, known: -1, stopped: false, controller: null, lastRedraw: 0,
                  trigger: null, waitingSince: 0 };

  async function loop() {
    let delay = 1000;
    while (!state.stopped) {
      state.controller = new AbortController();
      try {
        const answer = await fetch(`${url}?version=${state.known}`, {
          signal: state.controller.signal, cache: "no-store",
          headers: { Accept: "application/json" },
        });
        if (answer.ok) {
          const body = await answer.json();
          delay = 1000;
          if (body.version !== state.known) {
            // `offset`: two fragments of one page never ask in the same moment (Streamlit
            // would send one of the two reruns only).
            await pause(Math.max(offset, gap - (Date.now() - state.lastRedraw)));
            if (state.stopped) return;
            state.lastRedraw = Date.now();
            state.known = body.version;
            if (!state.waitingSince) state.waitingSince = Date.now();
            // A new value each time: the same value twice would not be sent again.
            state.trigger("version", body.version + ":" + Date.now());
            setTimeout(() => {
              if (state.stopped || state.shown === body.version || state.known !== body.version) return;
              if (Date.now() - state.waitingSince >= RELOAD_AFTER_MS) {
                window.location.reload();
                return;
              }
              state.known = state.shown; // ask again: the answer comes at once
              state.controller.abort();
            }, UNANSWERED_MS);
          }
          continue;
        }
        const retry = Number(answer.headers.get("Retry-After"));
        await pause(retry > 0 ? retry * 1000 : delay);
      } catch (error) {
        if (state.stopped) return;
        if (error.name !== "AbortError") await pause(delay); // server restarting, network down
      }
      delay = Math.min(delay * 2, 5000);
    }
  }

  loop().catch(() => {}); // every failure is retried inside; nothing may stay unhandled
  return state;
}

export default function (component) {
  const { data, setTriggerValue } = component;
  const name = data.url + "#" + data.name;
  let state = watchers.get(name);
  if (!state || state.stopped) {
    state = start(data.url, data.gap_ms, data.offset_ms || 0);
    watchers.set(name, state);
  }
  state.trigger = setTriggerValue;
  state.shown = data.version;
  state.waitingSince = 0; // redrawn
  if (state.known !== data.version) {
    state.known = data.version; // what the screen shows now; a newer one answers at once
    if (state.controller) state.controller.abort();
  }
  return () => {
    state.stopped = true;
    if (state.controller) state.controller.abort();
    watchers.delete(name);
  };
}
