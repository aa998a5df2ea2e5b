document.querySelector("p").dataset.loaded = "true";
