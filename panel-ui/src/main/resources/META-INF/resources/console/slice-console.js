// Connects an xterm.js terminal in `host` to the console WebSocket at `path` (same origin), speaking the
// slice-console.v1 sub-protocol: keystrokes as binary frames, the terminal's size as {"type":"resize",...}.
// A socket that ends for any reason but a withdrawn right (1008) or a bad message (1007) is opened again with a
// growing delay, and the state is shown above the terminal (and in host.dataset.state). Each connection starts with
// the guest's recent output (replayed by the server), so the screen is rebuilt from it rather than appended to.
// xterm.js and its fit add-on are loaded as plain scripts by the page; wait for them briefly.
window.sliceConsole = window.sliceConsole || {
  PROTOCOL: 'slice-console.v1',
  // Cells tall enough for the underscore: at line height 1.0 the DOM renderer's rows clip glyphs that reach below
  // the font's descent (the underscore of most monospace fonts), so `x86_64` read as "x86 64".
  OPTIONS: {
    convertEol: false, cursorBlink: true, fontSize: 14, lineHeight: 1.2, scrollback: 5000,
    fontFamily: '"DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", Menlo, Consolas, monospace'
  },
  RETRY_MS: [500, 1000, 2000, 4000, 5000],
  attach(host, path) {
    const ready = () => window.Terminal && window.FitAddon;
    const start = () => {
      if (host.$sliceTerm) return;
      const state = document.createElement('div');
      state.className = 'slice-console-state';
      const screen = document.createElement('div');
      screen.className = 'slice-console-screen';
      host.replaceChildren(state, screen);
      const term = new window.Terminal(window.sliceConsole.OPTIONS);
      const fit = new window.FitAddon.FitAddon();
      term.loadAddon(fit);
      term.open(screen);
      fit.fit();
      host.$sliceTerm = term;
      window.sliceConsole.open[host.id] = host;
      const show = (name, text) => { host.dataset.state = name; state.textContent = text; };
      const sendSize = () => {
        const socket = host.$sliceSocket;
        if (socket && socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify({ type: 'resize', rows: term.rows, cols: term.cols }));
        }
      };
      let failures = 0;
      let timer = null;
      const connect = () => {
        timer = null;
        if (!host.$sliceTerm) return;
        show(failures ? 'reconnecting' : 'connecting', failures ? 'Reconnecting…' : 'Connecting…');
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + path, [window.sliceConsole.PROTOCOL]);
        socket.binaryType = 'arraybuffer';
        host.$sliceSocket = socket;
        let fresh = true;
        socket.onopen = () => { show('open', 'Connected'); sendSize(); term.focus(); };
        socket.onmessage = (e) => {
          if (fresh) { fresh = false; term.reset(); }
          // Only the guest's output (binary) proves the console is back; the server's text notice
          // "[console unavailable: ...]" (the guest is still stopped, e.g. mid-reboot) keeps the delay growing.
          if (typeof e.data !== 'string') failures = 0;
          term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
        };
        socket.onclose = (e) => {
          if (host.$sliceSocket !== socket) return; // detached, or replaced
          host.$sliceSocket = null;
          const why = e.reason ? ': ' + e.reason : '';
          if (e.code === 1008 || e.code === 1007) {
            show('closed', 'Console closed' + why);
            term.write('\r\n\x1b[90m[console closed' + why + ']\x1b[0m\r\n');
            return;
          }
          const delays = window.sliceConsole.RETRY_MS;
          const delay = delays[Math.min(failures, delays.length - 1)];
          failures++;
          show('reconnecting', 'Disconnected' + why + ' — reconnecting in ' + Math.ceil(delay / 1000) + ' s');
          timer = setTimeout(connect, delay);
        };
      };
      host.$sliceStop = () => { if (timer) clearTimeout(timer); timer = null; };
      term.onData((d) => {
        const socket = host.$sliceSocket;
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(new TextEncoder().encode(d));
      });
      term.onResize(sendSize);
      new ResizeObserver(() => fit.fit()).observe(host);
      connect();
    };
    let tries = 0;
    const wait = () => ready() ? start() : (tries++ < 100 ? setTimeout(wait, 50) : host.textContent = 'Console scripts did not load.');
    wait();
  },
  // The terminal's text, line by line (what a person would read on the screen, including scrollback).
  text(host) {
    const term = host.$sliceTerm;
    if (!term) return '';
    const buffer = term.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
    return lines.join('\n');
  },
  // Terminals by element id, so that leaving the page (the element is already gone) still closes the socket.
  open: {},
  detach(id) {
    const host = this.open[id];
    if (!host) return;
    delete this.open[id];
    if (host.$sliceStop) host.$sliceStop();
    const socket = host.$sliceSocket;
    host.$sliceSocket = null;
    if (socket) socket.close();
    if (host.$sliceTerm) { host.$sliceTerm.dispose(); host.$sliceTerm = null; }
  }
};
