import { gallery, classical } from "solvewasm";
const B = gallery.poisson([1023, 1023]).toCsr();
for (let r = 0; r < 4; r++) { const t0 = performance.now(); const Q = classical.prolongator(B, classical.defaults); console.log(performance.now() - t0); Q.dispose(); }
