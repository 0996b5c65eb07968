/** @meshsim/viz — d3 charts, the HTML report and the classroom page. Charts join this entry as they are built. */
export {};
