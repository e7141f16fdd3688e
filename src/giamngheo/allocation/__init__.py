"""Which support lifts the most households per đồng (issue 16 §2): the supports and their
costs (``supports``), each poor household's ways out by the engine (``options``), the choice
(``solve``: exact sorting or a HiGHS programme) and the plan with its checks (``plan``)."""
