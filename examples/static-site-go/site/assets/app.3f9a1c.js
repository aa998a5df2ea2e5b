document.getElementById("app").textContent = "Hello from launchpad";
