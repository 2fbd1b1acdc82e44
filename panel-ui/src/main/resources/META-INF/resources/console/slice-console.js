// Connects an xterm.js terminal in `host` to the console WebSocket at `path` (same origin).
// xterm.js and its fit add-on are loaded as plain scripts by the page; wait for them briefly.
window.sliceConsole = window.sliceConsole || {
  attach(host, path) {
    const ready = () => window.Terminal && window.FitAddon;
    const start = () => {
      if (host.$sliceSocket) return;
      const term = new window.Terminal({ convertEol: false, cursorBlink: true, fontSize: 14, scrollback: 5000 });
      const fit = new window.FitAddon.FitAddon();
      term.loadAddon(fit);
      term.open(host);
      fit.fit();
      const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
      const socket = new WebSocket(scheme + location.host + path);
      socket.binaryType = 'arraybuffer';
      host.$sliceSocket = socket;
      host.$sliceTerm = term;
      window.sliceConsole.open[host.id] = host;
      host.dataset.state = 'connecting';
      socket.onopen = () => { host.dataset.state = 'open'; term.focus(); };
      socket.onmessage = (e) => term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data));
      socket.onclose = (e) => {
        host.dataset.state = 'closed';
        term.write('\r\n\x1b[90m[console disconnected' + (e.reason ? ': ' + e.reason : '') + ']\x1b[0m\r\n');
      };
      term.onData((d) => { if (socket.readyState === WebSocket.OPEN) socket.send(d); });
      new ResizeObserver(() => fit.fit()).observe(host);
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
    if (host.$sliceSocket) { host.$sliceSocket.close(); host.$sliceSocket = null; }
    if (host.$sliceTerm) { host.$sliceTerm.dispose(); host.$sliceTerm = null; }
  }
};
