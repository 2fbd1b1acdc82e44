// A small live chart of a server's CPU and memory use, drawn with Chart.js (loaded as a plain script).
window.sliceUsage = window.sliceUsage || {
  MAX_POINTS: 60,
  attach(host) {
    const start = () => {
      if (host.$sliceChart) return;
      const canvas = document.createElement('canvas');
      host.appendChild(canvas);
      host.$sliceChart = new window.Chart(canvas, {
        type: 'line',
        data: { labels: [], datasets: [
          { label: 'CPU (% of one vCPU)', data: [], yAxisID: 'cpu', tension: 0.2, pointRadius: 0 },
          { label: 'Memory (MiB)', data: [], yAxisID: 'memory', tension: 0.2, pointRadius: 0 }
        ] },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          scales: { cpu: { position: 'left', beginAtZero: true }, memory: { position: 'right', beginAtZero: true,
            grid: { drawOnChartArea: false } } } }
      });
      (host.$slicePending || []).forEach((p) => this.push(host, ...p));
      host.$slicePending = [];
    };
    let tries = 0;
    const wait = () => window.Chart ? start() : (tries++ < 100 ? setTimeout(wait, 50) : null);
    wait();
  },
  push(host, label, cpu, memory) {
    const chart = host.$sliceChart;
    if (!chart) { (host.$slicePending = host.$slicePending || []).push([label, cpu, memory]); return; }
    chart.data.labels.push(label);
    chart.data.datasets[0].data.push(cpu);
    chart.data.datasets[1].data.push(memory);
    if (chart.data.labels.length > this.MAX_POINTS) {
      chart.data.labels.shift();
      chart.data.datasets.forEach((d) => d.data.shift());
    }
    chart.update();
    host.dataset.points = String(chart.data.labels.length);
  }
};
