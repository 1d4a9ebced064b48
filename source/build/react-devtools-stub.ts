// Ink imports react-devtools-core only when DEV=true; the bundle ships without it.
const devtools = {
	initialize() {
		// Not available in the bundle.
	},
	connectToDevTools() {
		// Not available in the bundle.
	},
};

export default devtools;
