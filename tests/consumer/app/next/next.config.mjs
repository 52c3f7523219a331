// A static export, so the test serves it like the other builds.
export default { output: 'export' };
