"""The CV and the tailored one-page resume, both from ``cv.yaml`` and ``projects/``.

Public entry points (the site calls these): :func:`repofolio.resume.model.load_cv`,
:func:`repofolio.resume.render.render_cv_markdown` and :func:`repofolio.resume.render.build_pdf`.
"""
