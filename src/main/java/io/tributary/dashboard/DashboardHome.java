package io.tributary.dashboard;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /dashboard} and {@code /dashboard/}: the monitoring page is the dashboard's front page. */
@WebServlet(name = "DashboardHome", urlPatterns = {"/dashboard", "/dashboard/"})
public class DashboardHome extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(request.getContextPath() + LoginTarget.DEFAULT);
  }
}
