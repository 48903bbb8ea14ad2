// The letter's "Print the letter" button (a script file: the CSP allows no inline scripts).
document.getElementById("print-letter")?.addEventListener("click", () => window.print());
