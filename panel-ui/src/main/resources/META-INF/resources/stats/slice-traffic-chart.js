// A server's traffic per day of the month (GB out and in) and its usage history, drawn with Chart.js (a plain script).
window.sliceTraffic = window.sliceTraffic || {
  show(host, month, daysJson) {
    const days = JSON.parse(daysJson);
    let tries = 0;
    const draw = () => {
      if (!window.Chart) { if (tries++ < 100) setTimeout(draw, 50); return; }
      if (host.$sliceChart) host.$sliceChart.destroy();
      host.innerHTML = '';
      const canvas = document.createElement('canvas');
      host.appendChild(canvas);
      host.$sliceChart = new window.Chart(canvas, {
        type: 'bar',
        data: { labels: days.map((d) => d.day.substring(8)), datasets: [
          { label: 'Out (GB)', data: days.map((d) => d.out) },
          { label: 'In (GB)', data: days.map((d) => d.in) }
        ] },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { title: { display: true, text: month + ' (UTC days)' } },
          scales: { y: { beginAtZero: true } } }
      });
      host.dataset.drawn = String(days.length);
    };
    draw();
  },
  history(host, pointsJson) {
    const points = JSON.parse(pointsJson);
    let tries = 0;
    const draw = () => {
      if (!window.Chart) { if (tries++ < 100) setTimeout(draw, 50); return; }
      if (host.$sliceChart) host.$sliceChart.destroy();
      host.innerHTML = '';
      const canvas = document.createElement('canvas');
      host.appendChild(canvas);
      const line = (label, key, axis) => ({ label, data: points.map((p) => p[key]), yAxisID: axis, tension: 0.2, pointRadius: 0 });
      host.$sliceChart = new window.Chart(canvas, {
        type: 'line',
        data: { labels: points.map((p) => p.t), datasets: [
          line('CPU (% of one vCPU)', 'cpu', 'pct'), line('Memory (MiB)', 'mem', 'mib'),
          line('Disk (MB)', 'disk', 'mb'), line('Net in (MB)', 'in', 'mb'), line('Net out (MB)', 'out', 'mb')
        ] },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          scales: { pct: { position: 'left', beginAtZero: true }, mib: { position: 'right', beginAtZero: true,
            grid: { drawOnChartArea: false } }, mb: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } }
      });
      host.dataset.drawn = String(points.length);
    };
    draw();
  }
};
