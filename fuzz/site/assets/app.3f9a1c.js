console.log("fuzz");
