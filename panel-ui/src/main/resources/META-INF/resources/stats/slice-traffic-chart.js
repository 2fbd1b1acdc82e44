// A server's traffic per day of the month (GB out and in), drawn with Chart.js (loaded as a plain script).
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
  }
};
